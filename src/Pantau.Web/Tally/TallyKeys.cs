using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Tally;
using Pantau.Data;
using Pantau.Data.Tally;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tally;

/// <summary>
/// The server's checkpoint signing key: ECDSA P-256, PEM (PKCS#8), created on first use. It lives outside the database's folder, so
/// that a copy of the data folder (or whoever can write to it) does not carry the power to re-sign a rewritten log:
/// <c>Pantau:Tally:SigningKeyPath</c> when set, else <see cref="DefaultPath"/>. A key left in the data folder by an older setup is
/// still used (existing checkpoints keep verifying) but logged as a warning, loudly (critical) in Production, as is a configured path
/// inside the data folder.
/// </summary>
public sealed class TallyKeys
{
    public const string FileName = "tally-signing-key.pem";

    public CheckpointSigner Signer { get; }
    public string Path { get; }
    /// <summary>Whether the key sits in the data folder beside the database (see the warning at start-up).</summary>
    public bool BesideDatabase { get; }

    /// <summary>
    /// The default key file: <c>Pantau/keys/tally-signing-key.pem</c> in the user's application data folder (<c>$XDG_CONFIG_HOME</c>
    /// or <c>~/.config</c> on Linux, <c>%APPDATA%</c> on Windows), or <c>App_Keys/</c> in the content root when the account has none.
    /// </summary>
    public static string DefaultPath(string contentRoot)
    {
        var appData = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return appData.Length > 0
            ? System.IO.Path.Combine(appData, "Pantau", "keys", FileName)
            : System.IO.Path.Combine(contentRoot, "App_Keys", FileName);
    }

    public TallyKeys(IConfiguration config, IWebHostEnvironment env, ILogger<TallyKeys>? log = null)
    {
        var dataDir = System.IO.Path.GetFullPath(DatabaseSetup.DataDir(config, env.ContentRootPath));
        var legacy = System.IO.Path.Combine(dataDir, FileName);
        Path = config["Pantau:Tally:SigningKeyPath"] is { Length: > 0 } p ? System.IO.Path.GetFullPath(p, env.ContentRootPath)
            : File.Exists(legacy) ? legacy
            : DefaultPath(env.ContentRootPath);
        BesideDatabase = IsInside(Path, dataDir);
        if (BesideDatabase && log is not null)
        {
            const string message = "SECURITY: the tally signing key {Path} is in the data folder beside the database ({DataDir}). Whoever can copy or write " +
                "that folder can re-sign a rewritten tally log. Move the key elsewhere and set Pantau:Tally:SigningKeyPath (docs/tally.md).";
            if (env.IsProduction()) log.LogCritical(message, Path, dataDir);
            else log.LogWarning(message, Path, dataDir);
        }
        Signer = new CheckpointSigner(LoadOrCreate(Path));
    }

    private static bool IsInside(string file, string dir)
    {
        var d = System.IO.Path.TrimEndingDirectorySeparator(dir) + System.IO.Path.DirectorySeparatorChar;
        return System.IO.Path.GetFullPath(file).StartsWith(d, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    /// <summary>Reads the key, or creates it atomically (several processes may start at once: the first file written wins).</summary>
    private static ECDsa LoadOrCreate(string path)
    {
        var key = ECDsa.Create();
        if (File.Exists(path)) { key.ImportFromPem(File.ReadAllText(path)); return key; }
        var created = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.WriteAllText(temp, created.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try { File.Move(temp, path, overwrite: false); return created; }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
    }

    /// <summary>Signs the current head of the log (nothing when the log is empty or the head is already checkpointed).</summary>
    public async Task<TallyCheckpoint?> CheckpointAsync(PantauDbContext db, DateTimeOffset now, CancellationToken ct = default)
    {
        var head = await db.TallyLog.AsNoTracking().OrderByDescending(e => e.Seq).Select(e => new { e.Seq, e.Hash }).FirstOrDefaultAsync(ct);
        if (head is null) return null;
        var last = await db.TallyCheckpoints.AsNoTracking().OrderByDescending(c => c.Seq).FirstOrDefaultAsync(ct);
        if (last is not null && last.Seq == head.Seq)
        {
            await PublicLog.PublicLogTree.AfterChainCheckpointAsync(db, Signer, last, now, ct);
            return last;
        }
        var cp = new TallyCheckpoint { Seq = head.Seq, HeadHash = head.Hash, Signature = Signer.Sign(head.Seq, head.Hash), KeyId = Signer.KeyId, At = now };
        db.TallyCheckpoints.Add(cp);
        await db.SaveChangesAsync(ct);
        await PublicLog.PublicLogTree.AfterChainCheckpointAsync(db, Signer, cp, now, ct); // the public tree's signed note (docs/log-format.md)
        return cp;
    }
}

/// <summary>Loads the signing key when the app starts (its constructor logs the warning about a key beside the database).</summary>
public sealed class TallyKeysAtStart(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<TallyKeys>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
