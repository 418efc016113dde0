using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Pantau.Data.Postgres;

/// <summary>Used by <c>dotnet ef migrations add</c> to build the PostgreSQL flavour of the model.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PantauDbContext>
{
    public PantauDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PantauDbContext>().UseNpgsql("Host=127.0.0.1;Database=pantau_design", Configure).Options);

    public static void Configure(Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder o) =>
        o.MigrationsAssembly(typeof(PostgresDesignTimeFactory).Assembly.GetName().Name);
}
