using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Pantau.Data.Sqlite;

/// <summary>Used by <c>dotnet ef migrations add</c> to build the SQLite flavour of the model.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<PantauDbContext>
{
    public PantauDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PantauDbContext>().UseSqlite("Data Source=design.db", Configure).Options);

    public static void Configure(Microsoft.EntityFrameworkCore.Infrastructure.SqliteDbContextOptionsBuilder o) =>
        o.MigrationsAssembly(typeof(SqliteDesignTimeFactory).Assembly.GetName().Name);
}
