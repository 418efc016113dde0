using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using Pantau.Web.Tally;

namespace Pantau.Web.Tests.Security;

/// <summary>
/// Issue 20 point 9: the checkpoint signing key lives outside the database's folder by default; a key left beside the database by an
/// older setup keeps working but a production start says so loudly (critical), as does a configured path inside the data folder.
/// </summary>
public class TallyKeyLocationTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("pantau-keys-");

    public void Dispose() => _root.Delete(recursive: true);

    private sealed class Env(string root, string name) : IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = root;
        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
        public string ApplicationName { get; set; } = "Pantau.Web";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
        public string ContentRootPath { get; set; } = root;
        public string EnvironmentName { get; set; } = name;
    }

    private sealed class Capture : ILogger<TallyKeys>
    {
        public List<(LogLevel Level, string Message)> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add((logLevel, formatter(state, exception)));
    }

    private (TallyKeys Keys, Capture Log) Start(string environment, string? keyPath = null)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pantau:DataDir"] = Path.Combine(_root.FullName, "data"),
            ["Pantau:Tally:SigningKeyPath"] = keyPath,
        }).Build();
        var log = new Capture();
        return (new TallyKeys(config, new Env(_root.FullName, environment), log), log);
    }

    [Fact]
    public void By_default_the_key_is_not_in_the_data_folder()
    {
        var (keys, log) = Start("Production");
        Assert.False(keys.BesideDatabase);
        Assert.Equal(TallyKeys.DefaultPath(_root.FullName), keys.Path);
        Assert.DoesNotContain(Path.Combine(_root.FullName, "data"), keys.Path);
        Assert.True(File.Exists(keys.Path));
        Assert.Empty(log.Lines);
    }

    [Fact]
    public void A_configured_key_outside_the_data_folder_is_created_there_quietly()
    {
        var path = Path.Combine(_root.FullName, "secrets", "tally.pem");
        var (keys, log) = Start("Production", path);
        Assert.Equal(path, keys.Path);
        Assert.True(File.Exists(path));
        Assert.Empty(log.Lines);
        // The same key on the next start.
        var (again, _) = Start("Production", path);
        Assert.Equal(keys.Signer.KeyId, again.Signer.KeyId);
    }

    [Fact]
    public void A_key_beside_the_database_keeps_working_but_a_production_start_warns_loudly()
    {
        var data = Directory.CreateDirectory(Path.Combine(_root.FullName, "data"));
        var legacy = Path.Combine(data.FullName, TallyKeys.FileName);
        using (var k = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
            File.WriteAllText(legacy, k.ExportPkcs8PrivateKeyPem());
        var (keys, log) = Start("Production");
        Assert.Equal(legacy, keys.Path); // existing checkpoints keep verifying with the key that signed them
        Assert.True(keys.BesideDatabase);
        var line = Assert.Single(log.Lines);
        Assert.Equal(LogLevel.Critical, line.Level);
        Assert.Contains("SECURITY", line.Message);
        Assert.Contains("Pantau:Tally:SigningKeyPath", line.Message);

        // Outside Production the same is a warning; a configured path inside the data folder is reported too.
        var (_, dev) = Start("Development", Path.Combine(data.FullName, "keys", "k.pem"));
        Assert.Equal(LogLevel.Warning, Assert.Single(dev.Lines).Level);
    }
}
