using System.Diagnostics;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Pantau.Core.Security;
using Pantau.TestKit;

namespace Pantau.Web.Tests.Interop;

/// <summary>
/// A client generated at test time from the served OpenAPI document by Kiota (the local dotnet tool in dotnet-tools.json), compiled in
/// memory with Roslyn, submits a C.Hasil sheet with an API token and reads the recap back: nothing of Pantau's own types is used.
/// </summary>
public class GeneratedClientTests
{
    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "dotnet-tools.json"))) return d.FullName;
        throw new InvalidOperationException("dotnet-tools.json not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Runs <c>dotnet ARGS</c> in the repository root (offline Kiota, no telemetry) and fails the test, with its output, unless it succeeds.</summary>
    private static async Task RunDotnetAsync(string what, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet", args) { WorkingDirectory = RepoRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["KIOTA_OFFLINE_ENABLED"] = "true";
        psi.Environment["KIOTA_TUTORIAL_ENABLED"] = "false";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token);
        Assert.True(p.ExitCode == 0, $"{what} failed ({p.ExitCode}): {await stdout}\n{await stderr}");
    }

    private static async Task<Assembly> GenerateAsync(string document)
    {
        var dir = Directory.CreateTempSubdirectory("pantau-kiota-").FullName;
        var docPath = Path.Combine(dir, "openapi.json");
        await File.WriteAllTextAsync(docPath, document);
        var output = Path.Combine(dir, "client");
        // The kiota tool of dotnet-tools.json, restored first: on a fresh machine the README's `dotnet test` is the only step.
        await RunDotnetAsync("dotnet tool restore", "tool", "restore");
        await RunDotnetAsync("kiota", "kiota", "generate", "-l", "CSharp", "-d", docPath, "-o", output, "-c", "PantauClient", "-n", "Pantau.Generated",
            "--include-path", "/api/tally/sheets", "--include-path", "/api/tally/recap/**", "--exclude-backward-compatible", "--log-level", "Warning");
        var files = Directory.GetFiles(output, "*.cs", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f)).ToList();
        var refs = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat([typeof(Microsoft.Kiota.Abstractions.IRequestAdapter).Assembly.Location, typeof(HttpClientRequestAdapter).Assembly.Location,
                typeof(Microsoft.Kiota.Serialization.Json.JsonParseNodeFactory).Assembly.Location, typeof(Microsoft.Kiota.Serialization.Text.TextParseNodeFactory).Assembly.Location,
                typeof(Microsoft.Kiota.Serialization.Form.FormParseNodeFactory).Assembly.Location, typeof(Microsoft.Kiota.Serialization.Multipart.MultipartSerializationWriterFactory).Assembly.Location])
            .Distinct().Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Pantau.Generated", trees, refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var ms = new MemoryStream();
        var emit = compilation.Emit(ms);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        return Assembly.Load(ms.ToArray());
    }

    private static object New(Assembly asm, string typeName) =>
        Activator.CreateInstance(asm.GetTypes().Single(t => t.Name == typeName))!;

    private static void Set(object o, string property, object? value) =>
        o.GetType().GetProperty(property)!.SetValue(o, value);

    private static object? Get(object? o, string property) => o!.GetType().GetProperty(property)!.GetValue(o);

    [Fact]
    public async Task A_client_generated_by_Kiota_from_the_document_submits_a_sheet_and_reads_the_recap()
    {
        await using var app = await PantauApp.StartAsync();
        var document = await (await app.AnonymousClient().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        var asm = await GenerateAsync(document);
        string tps;
        await using (var db = app.NewDbContext())
            tps = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(db.Tps.Where(t => t.DesaCode.StartsWith("16.71.")).OrderBy(t => t.Code).Select(t => t.Code));
        var http = await app.ClientForAsync(Role.KpuOperator, "16.71");   // Authorization: Bearer pt_...
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') };
        dynamic client = Activator.CreateInstance(asm.GetTypes().Single(t => t.Name == "PantauClient"), adapter)!;

        // The body, built from the generated model only (the sheet of TallySheets.Valid, copied field by field from its JSON).
        var body = New(asm, "SheetBody");
        var json = TallySheets.ToJson(TallySheets.Valid("PILGUB-16", tps, 120, 80, 40));
        foreach (var (k, v) in json)
        {
            if (k == "votes")
            {
                var votes = New(asm, "SheetBody_votes");
                var extra = (IDictionary<string, object>)Get(votes, "AdditionalData")!;
                foreach (var (n, x) in (Dictionary<string, long>)v!) extra[n] = x;
                Set(body, "Votes", votes);
            }
            else Set(body, char.ToUpperInvariant(k[0]) + k[1..], v is long l ? l : v);
        }
        object outcome = await client.Api.Tally.Sheets.PostAsync((dynamic)body);
        Assert.Equal("accepted", Get(outcome, "Outcome"));

        object recap = await client.Api.Tally.Recap["PILGUB-16"][tps].GetAsync();
        var region = Get(recap, "Region");
        Assert.Equal(1L, Convert.ToInt64(Get(region, "TpsIn"), System.Globalization.CultureInfo.InvariantCulture));
        var recapVotes = (IDictionary<string, object>)Get(Get(region, "Votes"), "AdditionalData")!;
        Assert.Equal(120L, Convert.ToInt64(recapVotes["1"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(80L, Convert.ToInt64(recapVotes["2"], System.Globalization.CultureInfo.InvariantCulture));
    }
}
