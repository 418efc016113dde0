using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Identity;
using Pantau.Data.Import;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// Command-line verbs of the Pantau executable (<c>dotnet run --project src/Pantau.Web -- VERB</c>).
/// The built-in verbs are listed here; a feature adds its own in its module's <see cref="IPantauModule.AddCommands"/>.
/// </summary>
public static class Commands
{
    private static readonly Dictionary<string, (string Help, Func<WebApplication, string[], Task<int>> Run)> BuiltIn = new(StringComparer.OrdinalIgnoreCase)
    {
        ["migrate"] = ("apply database migrations", Migrate),
        ["import"] = ("import master data from shared/data [--provinces 16,17 | --all] [--data DIR]", Import),
        ["create-admin"] = ("create the first admin: create-admin USERNAME [--password-env VAR]; prints a generated password otherwise", CreateAdmin),
        ["create-user"] = ("create-user USERNAME ROLE SCOPE [--password-env VAR]", CreateUser),
        ["create-token"] = ("create-token USERNAME NAME: prints a new API token for bulk import", CreateToken),
        ["backup"] = ("backup PATH: online copy of the SQLite database, integrity-checked (PostgreSQL: pg_dump)", SqliteBackup.BackupVerb),
        ["restore"] = ("restore PATH [--force]: replace the SQLite database with a checked backup; refuses while in use unless --force", SqliteBackup.RestoreVerb),
        ["help"] = ("list the commands", Help),
    };

    /// <summary>Every verb: the built-in ones, then those each module adds (<see cref="IPantauModule.AddCommands"/>).</summary>
    public static CommandVerbs All()
    {
        var verbs = new CommandVerbs();
        foreach (var (name, (help, run)) in BuiltIn) verbs.Add(name, help, run);
        foreach (var module in PantauModules.All) module.AddCommands(verbs);
        return verbs;
    }

    public static bool TryGet(string[] args, out Func<WebApplication, Task<int>> command)
    {
        command = null!;
        if (args.Length == 0 || args[0].StartsWith('-') || !All().TryGet(args[0], out var verb)) return false;
        command = app => verb.Run(app, args[1..]);
        return true;
    }

    private static Task<int> Help(WebApplication app, string[] args)
    {
        foreach (var (name, (help, _)) in All().List.OrderBy(v => v.Key)) Console.WriteLine($"  {name,-14} {help}");
        return Task.FromResult(0);
    }

    private static async Task<int> Migrate(WebApplication app, string[] args)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        await db.Database.MigrateAsync();
        await Admin.AuditGuard.EnsureAsync(db);
        Console.WriteLine("Database is up to date.");
        return 0;
    }

    public static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    private static async Task<int> Import(WebApplication app, string[] args)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        await db.Database.MigrateAsync();
        var dir = Option(args, "--data") ?? SharedData.Locate(app.Configuration);
        if (dir is null) { Console.Error.WriteLine("shared/data not found; pass --data DIR."); return 2; }
        string[] provinces = args.Contains("--all")
            ? File.ReadLines(Path.Combine(dir, "wilayah", "kepmendagri-2022", "provinsi.csv")).Skip(1).Select(l => l.Split(',')[0]).ToArray()
            : (Option(args, "--provinces")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? Startup.Provinces(app.Configuration));
        var progress = new ConsoleProgress();
        try
        {
            var report = await new MasterDataImporter(db).ImportAsync(dir, provinces, progress);
            progress.Done();
            Console.WriteLine($"Imported: {report}");
            foreach (var w in report.Warnings) Console.WriteLine($"  warning: {w}");
            return 0;
        }
        catch (ImportException ex)
        {
            progress.Done();
            Console.Error.WriteLine(ex.Message);
            foreach (var e in ex.Errors.Take(50)) Console.Error.WriteLine($"  {e}");
            if (ex.Errors.Count > 50) Console.Error.WriteLine($"  ... and {ex.Errors.Count - 50} more");
            return 1;
        }
    }

    private static Task<int> CreateAdmin(WebApplication app, string[] args) =>
        args.Length < 1 ? Fail("usage: create-admin USERNAME [--password-env VAR]") : CreateAccount(app, args[0], Role.Admin, "", args);

    private static Task<int> CreateUser(WebApplication app, string[] args)
    {
        if (args.Length < 3 || !Enum.TryParse<Role>(args[1], true, out var role))
            return Fail($"usage: create-user USERNAME ROLE SCOPE; roles: {string.Join(", ", Enum.GetNames<Role>())}");
        return CreateAccount(app, args[0], role, args[2] == "-" ? "" : args[2], args);
    }

    private static async Task<int> CreateAccount(WebApplication app, string userName, Role role, string scope, string[] args)
    {
        if (!Pantau.Core.Security.Scopes.IsValid(scope)) return await Fail($"'{scope}' is not a region or TPS code.");
        if (Pantau.Core.Security.Scopes.IsTps(scope) && role != Role.KppsOperator) return await Fail("only KPPS accounts are bound to one TPS; other roles take a region code.");
        using var s = app.Services.CreateScope();
        var db = s.ServiceProvider.GetRequiredService<PantauDbContext>();
        await db.Database.MigrateAsync();
        var users = s.ServiceProvider.GetRequiredService<UserManager<PantauUser>>();
        var passwordEnv = Option(args, "--password-env");
        var generated = passwordEnv is null;
        var password = passwordEnv is null ? GeneratePassword() : Environment.GetEnvironmentVariable(passwordEnv);
        if (string.IsNullOrEmpty(password)) return await Fail($"environment variable {passwordEnv} is empty.");
        var user = new PantauUser
        {
            UserName = userName, DisplayName = userName, Role = role, ScopeCode = scope,
            CreatedAt = app.Services.GetRequiredService<TimeProvider>().GetUtcNow(),
            MustChangePassword = generated, // a printed password is changed at the first sign-in, as for accounts made in /admin
        };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded) return await Fail(string.Join("; ", result.Errors.Select(e => e.Description)));
        Console.WriteLine($"Created {role} '{userName}'{(scope.Length > 0 ? $" for region {scope}" : "")}.");
        if (generated) Console.WriteLine($"Password (shown once): {password}");
        return 0;
    }

    private static async Task<int> CreateToken(WebApplication app, string[] args)
    {
        if (args.Length < 2) return await Fail("usage: create-token USERNAME NAME");
        using var s = app.Services.CreateScope();
        var db = s.ServiceProvider.GetRequiredService<PantauDbContext>();
        var user = await db.Users.FirstOrDefaultAsync(u => u.UserName == args[0]);
        if (user is null) return await Fail($"no user '{args[0]}'.");
        var token = AuthSetup.NewToken();
        db.ApiTokens.Add(new ApiToken
        {
            UserId = user.Id, Name = args[1], TokenHash = AuthSetup.HashToken(token),
            CreatedAt = app.Services.GetRequiredService<TimeProvider>().GetUtcNow(),
        });
        await db.SaveChangesAsync();
        Console.WriteLine(token);
        return 0;
    }

    public static string GeneratePassword()
    {
        const string lower = "abcdefghijkmnpqrstuvwxyz", upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", digits = "23456789";
        var all = lower + upper + digits;
        var chars = new char[16];
        for (var i = 0; i < chars.Length; i++) chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        chars[0] = upper[RandomNumberGenerator.GetInt32(upper.Length)];
        chars[1] = lower[RandomNumberGenerator.GetInt32(lower.Length)];
        chars[2] = digits[RandomNumberGenerator.GetInt32(digits.Length)];
        return new string(chars);
    }

    private static Task<int> Fail(string message)
    {
        Console.Error.WriteLine(message);
        return Task.FromResult(2);
    }

    /// <summary>A one-line progress bar for long commands.</summary>
    public sealed class ConsoleProgress : IProgress<ImportProgress>
    {
        private string? _stage;
        public void Report(ImportProgress p)
        {
            if (_stage is not null && _stage != p.Stage) Console.Error.WriteLine();
            _stage = p.Stage;
            var pct = p.Total == 0 ? 100 : 100 * p.Done / p.Total;
            var bar = new string('#', pct / 5).PadRight(20, '.');
            Console.Error.Write($"\r{p.Stage,-40} [{bar}] {p.Done,7}/{p.Total,-7}");
        }
        public void Done() { if (_stage is not null) Console.Error.WriteLine(); }
    }
}

/// <summary>The command-line verbs of the executable, by name (case-insensitive): built by <see cref="Commands.All"/>.</summary>
public sealed class CommandVerbs
{
    private readonly Dictionary<string, (string Help, Func<WebApplication, string[], Task<int>> Run)> _verbs = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds (or replaces) <paramref name="verb"/>: <paramref name="help"/> is its line in <c>help</c>.</summary>
    public void Add(string verb, string help, Func<WebApplication, string[], Task<int>> run) => _verbs[verb] = (help, run);

    internal bool TryGet(string verb, out (string Help, Func<WebApplication, string[], Task<int>> Run) entry) => _verbs.TryGetValue(verb, out entry);

    internal IReadOnlyDictionary<string, (string Help, Func<WebApplication, string[], Task<int>> Run)> List => _verbs;
}
