using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Elections;
using Pantau.Data.Elections;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Data.Tests;

public class ElectionFileTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    /// <summary>The shipped 2024 file carries every paslon of the shared source, unchanged, and only fills gaps with synthetic ones.</summary>
    [Fact]
    public void The_bundled_2024_file_holds_the_shared_source()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestDatabase.SharedDataDir, "pilkada2024-sumsel.json")));
        var root = doc.RootElement;
        var sources = new List<JsonElement> { root.GetProperty("governor") };
        sources.AddRange(root.GetProperty("kabupaten_kota").EnumerateArray());
        var file = ElectionStore.Bundled();
        Assert.Equal("pilkada", file.Kind);
        Assert.Equal("2024-11-27", file.VotingDate);
        Assert.Equal(sources.Count, file.Contests!.Count);
        foreach (var s in sources)
        {
            var code = s.GetProperty("code").GetString()!;
            var contest = Assert.Single(file.Contests, c => c.Region == code);
            Assert.Equal(s.GetProperty("election").GetString(), contest.Kind);
            var real = contest.Paslon!.Where(p => !p.Synthetic).ToList();
            var expected = s.GetProperty("paslon").EnumerateArray()
                .Select(p => (p.GetProperty("nomor_urut").GetInt32(), p.GetProperty("calon").GetString(), p.TryGetProperty("wakil", out var w) ? w.GetString() : null)).ToList();
            Assert.Equal(expected.OrderBy(x => x.Item1), real.Select(p => (p.Number!.Value, p.Candidate, p.RunningMate)).OrderBy(x => x.Item1));
            if (s.GetProperty("paslon_list_complete").GetBoolean()) Assert.DoesNotContain(contest.Paslon!, p => p.Synthetic);
            else Assert.True(contest.Paslon!.Count >= Math.Max(2, expected.Count));
        }
        Assert.Empty(ElectionRules.Validate(file, code => sources.Any(s => s.GetProperty("code").GetString() == code), _ => false));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_2024_election_is_loaded_with_its_contests_and_exports_to_the_same_file(DatabaseProvider provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        await using var db = tdb.NewContext();
        var election = await db.Elections.Include(e => e.Contests).SingleAsync();
        Assert.Equal(("PILKADA2024-16", ElectionKind.Pilkada, new DateOnly(2024, 11, 27), "16"), (election.Code, election.Kind, election.VotingDate, election.RegionCode));
        Assert.Equal(await db.Contests.CountAsync(), election.Contests.Count);
        var store = new ElectionStore(db);
        var exported = await store.ExportAsync("PILKADA2024-16");
        var bundled = ElectionStore.Bundled();
        Assert.Equal(bundled.Contests!.Select(c => (c.Code, c.Kind, c.Region, c.Name, c.Paslon!.Count)).Order(),
            exported!.Contests!.Select(c => (c.Code, c.Kind, c.Region, c.Name, c.Paslon!.Count)).Order());
        // Importing the export again changes nothing.
        var audits = await db.AuditEntries.CountAsync();
        var (result, errors) = await store.ImportAsync(ElectionFile.Parse(exported.ToJson(), out _)!);
        Assert.Empty(errors);
        Assert.Equal((false, 0, 0, 18), (result!.Created, result.ContestsAdded, result.ContestsUpdated, result.ContestsUnchanged));
        Assert.Equal(audits, await db.AuditEntries.CountAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_contest_code_of_another_election_is_refused_and_nothing_is_written(DatabaseProvider provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        await using var db = tdb.NewContext();
        var file = new ElectionFile
        {
            Code = "PILKADA2029-16", Name = "Pilkada 2029 Sumsel", Kind = "pilkada", VotingDate = "2029-11-28", Region = "16",
            Contests =
            [
                new ContestEntry { Code = "PILGUB-16", Kind = "gubernur", Region = "16", Paslon = [new PaslonEntry { Number = 1, Candidate = "A" }] },
                new ContestEntry { Code = "PILBUP-16.03-2029", Kind = "bupati", Region = "16.03", Paslon = [new PaslonEntry { Number = 1, Candidate = "B" }] },
            ],
        };
        var (result, errors) = await new ElectionStore(db).ImportAsync(file);
        Assert.Null(result);
        Assert.Equal("contests[0].code", Assert.Single(errors).Field);
        Assert.Equal(1, await db.Elections.CountAsync());
        var (ok, none) = await new ElectionStore(db).ImportAsync(file with { Contests = [file.Contests[1]] });
        Assert.Empty(none);
        Assert.True(ok!.Created);
        var muaraEnim = await db.Contests.Include(c => c.Paslon).SingleAsync(c => c.Code == "PILBUP-16.03-2029");
        Assert.Equal("Pemilihan Bupati Muara Enim", muaraEnim.Name);
        Assert.Equal([(1, false), (0, true)], muaraEnim.Paslon.Select(p => (p.Number, p.IsKolomKosong)));
        Assert.Equal(new DateOnly(2029, 11, 28), muaraEnim.VotingDate);
    }
}
