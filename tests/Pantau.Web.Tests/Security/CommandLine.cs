using Microsoft.AspNetCore.Builder;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Security;

/// <summary>Runs a command-line verb (<see cref="Commands"/>) against a SQLite database, as <c>dotnet run -- VERB ...</c> does.</summary>
internal static class CommandLine
{
    public static async Task<int> RunAsync(string connectionString, params string[] args)
    {
        var builder = WebApplication.CreateBuilder(["--Database:Provider=Sqlite", $"--ConnectionStrings:Pantau={connectionString}", "--Pantau:RunJobs=false"]);
        builder.AddPantau();
        await using var app = builder.Build();
        Assert.True(Commands.TryGet(args, out var command));
        return await command(app);
    }
}
