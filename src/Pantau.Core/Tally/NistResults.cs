using System.Globalization;
using System.Text.Json.Nodes;
using Pantau.Core.Regions;

namespace Pantau.Core.Tally;

/// <summary>A region of the contest's tree (dotted Kemendagri code).</summary>
public sealed record NistRegion(string Code, string Name, RegionLevel Level, string? Type = null);

/// <summary>A TPS (13-digit KPU code) with its DPT.</summary>
public sealed record NistTps(string Code, string DesaCode, int Number, long Dpt);

/// <summary>The counted C.Hasil sheet of one TPS: votes per paslon number, valid and invalid votes; <c>Disputed</c> when its state is under review.</summary>
public sealed record NistTpsCount(string TpsCode, IReadOnlyDictionary<int, long> Votes, long SuaraSah, long SuaraTidakSah, bool Disputed = false);

/// <summary>Everything one NIST report of one contest is made from (no I/O: the caller reads the database).</summary>
public sealed record NistContestInput(
    string ContestCode, string ContestName, string ContestRegionCode, DateOnly VotingDate,
    IReadOnlyList<(int Number, string Name)> Paslon,
    IReadOnlyList<NistRegion> Regions, IReadOnlyList<NistTps> Tps, IReadOnlyList<NistTpsCount> Counts,
    bool Declared, long PublicationSequence, DateTimeOffset GeneratedAt, string Issuer = "Pantau Desk Pilkada", string IssuerAbbreviation = "PANTAU");

/// <summary>
/// NIST SP 1500-100 Election Results Common Data Format, version 2 (JSON), for one contest: the report, its election, the contest with one
/// CandidateSelection per paslon, the GpUnit tree keyed by Kemendagri codes from the contest's region down to every TPS, vote counts per TPS
/// and rolled up to every region, the results status and the publication sequence. Validated against NIST's schema in the tests
/// (tests/Pantau.Core.Tests/Tally/nist/NIST_V2_election_results_reporting.json).
/// </summary>
public static class NistResults
{
    public const string Unofficial = "unofficial-partial";
    public const string UnofficialComplete = "unofficial-complete";
    public const string Certified = "certified";

    /// <summary>
    /// The status of the results: certified when the result has been declared (penetapan hasil) with every TPS counted and none under
    /// review; unofficial-complete when every TPS is counted and none is under review; unofficial-partial otherwise.
    /// </summary>
    public static string Status(int tpsTotal, int tpsCounted, int tpsDisputed, bool declared)
    {
        var complete = tpsTotal > 0 && tpsCounted >= tpsTotal && tpsDisputed == 0;
        return !complete ? Unofficial : declared ? Certified : UnofficialComplete;
    }

    /// <summary>GpUnit id of a region or TPS code (NCName: a letter first, dots allowed).</summary>
    public static string GpUnitId(string code) => "gp-" + code;

    public static string CandidateId(string contest, int number) => $"cand-{contest}-{number}";

    public static JsonObject Build(NistContestInput input)
    {
        var root = input.ContestRegionCode;
        bool Within(string code) => code == root || code.StartsWith(root + ".", StringComparison.Ordinal);
        var regions = input.Regions.Where(r => Within(r.Code)).OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
        var regionCodes = regions.Select(r => r.Code).ToHashSet();
        var tps = input.Tps.Where(t => regionCodes.Contains(t.DesaCode)).OrderBy(t => t.Code, StringComparer.Ordinal).ToList();
        var tpsCodes = tps.Select(t => t.Code).ToHashSet();
        var counts = input.Counts.Where(c => tpsCodes.Contains(c.TpsCode)).ToDictionary(c => c.TpsCode);

        // Roll up: every TPS count is added to its desa and each ancestor up to the contest's region.
        var numbers = input.Paslon.Select(p => p.Number).ToList();
        var votes = new Dictionary<string, Dictionary<int, long>>();
        var cast = new Dictionary<string, long>();
        var dpt = new Dictionary<string, long>();
        var tpsIn = new Dictionary<string, int>();
        var tpsAll = new Dictionary<string, int>();
        IEnumerable<string> Chain(NistTps t)
        {
            yield return t.Code;
            for (string? c = t.DesaCode; c is not null && regionCodes.Contains(c); c = RegionCode.ParentOf(c)) yield return c;
        }
        foreach (var t in tps)
        {
            counts.TryGetValue(t.Code, out var c);
            foreach (var unit in Chain(t))
            {
                dpt[unit] = dpt.GetValueOrDefault(unit) + t.Dpt;
                tpsAll[unit] = tpsAll.GetValueOrDefault(unit) + 1;
                if (c is null) continue;
                tpsIn[unit] = tpsIn.GetValueOrDefault(unit) + 1;
                cast[unit] = cast.GetValueOrDefault(unit) + c.SuaraSah + c.SuaraTidakSah;
                var v = votes.TryGetValue(unit, out var d) ? d : votes[unit] = [];
                foreach (var n in numbers) v[n] = v.GetValueOrDefault(n) + c.Votes.GetValueOrDefault(n);
            }
        }

        var status = Status(tps.Count, counts.Count, counts.Values.Count(c => c.Disputed), input.Declared);
        var gpUnits = new JsonArray();
        var children = regions.ToDictionary(r => r.Code, _ => new List<string>());
        foreach (var r in regions)
            if (RegionCode.ParentOf(r.Code) is { } p && children.TryGetValue(p, out var list)) list.Add(GpUnitId(r.Code));
        foreach (var t in tps) children[t.DesaCode].Add(GpUnitId(t.Code));
        foreach (var r in regions)
        {
            var unit = Unit(r.Code, r.Name, UnitType(r), r.Level == RegionLevel.Kecamatan ? "kecamatan" : null, children[r.Code]);
            unit["SubUnitsReported"] = tpsIn.GetValueOrDefault(r.Code);
            unit["TotalSubUnits"] = tpsAll.GetValueOrDefault(r.Code);
            unit["VotersRegistered"] = dpt.GetValueOrDefault(r.Code);
            unit["VotersParticipated"] = cast.GetValueOrDefault(r.Code);
            gpUnits.Add(unit);
        }
        foreach (var t in tps)
        {
            var unit = Unit(t.Code, $"TPS {t.Number:000}", "precinct", null, []);
            unit["Number"] = t.Number.ToString("000", CultureInfo.InvariantCulture);
            unit["VotersRegistered"] = t.Dpt;
            if (counts.TryGetValue(t.Code, out var c)) unit["VotersParticipated"] = c.SuaraSah + c.SuaraTidakSah;
            gpUnits.Add(unit);
        }

        var units = regions.Select(r => r.Code).Concat(tps.Select(t => t.Code)).ToList();
        var selections = new JsonArray();
        var candidates = new JsonArray();
        var order = 0;
        foreach (var (number, name) in input.Paslon)
        {
            var id = CandidateId(input.ContestCode, number);
            candidates.Add(new JsonObject
            {
                ["@type"] = "ElectionResults.Candidate", ["@id"] = id, ["BallotName"] = Text(name, name),
                ["ExternalIdentifier"] = new JsonArray(Ident("local-level", "nomor-urut", number.ToString(CultureInfo.InvariantCulture))),
            });
            var vc = new JsonArray();
            foreach (var u in units)
                if (votes.TryGetValue(u, out var v))
                    vc.Add(new JsonObject { ["@type"] = "ElectionResults.VoteCounts", ["GpUnitId"] = GpUnitId(u), ["Type"] = "total", ["Count"] = v.GetValueOrDefault(number) });
            selections.Add(new JsonObject
            {
                ["@type"] = "ElectionResults.CandidateSelection", ["@id"] = $"sel-{input.ContestCode}-{number}",
                ["CandidateIds"] = new JsonArray(id), ["SequenceOrder"] = ++order, ["VoteCounts"] = vc,
            });
        }
        var contest = new JsonObject
        {
            ["@type"] = "ElectionResults.CandidateContest", ["@id"] = "contest-" + input.ContestCode, ["Name"] = input.ContestName,
            ["ElectionDistrictId"] = GpUnitId(root), ["VotesAllowed"] = 1, ["NumberElected"] = 1, ["VoteVariation"] = "plurality",
            ["SubUnitsReported"] = counts.Count, ["TotalSubUnits"] = tps.Count,
            ["ExternalIdentifier"] = new JsonArray(Ident("other", "pantau-contest", input.ContestCode)),
            ["CountStatus"] = new JsonArray(new JsonObject
            {
                ["@type"] = "ElectionResults.CountStatus", ["Type"] = "total",
                ["Status"] = counts.Count == 0 ? "not-processed" : counts.Count < tps.Count ? "in-process" : "completed",
            }),
            ["ContestSelection"] = selections,
        };
        var day = input.VotingDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var election = new JsonObject
        {
            ["@type"] = "ElectionResults.Election", ["ElectionScopeId"] = GpUnitId(root), ["Type"] = "general",
            ["Name"] = Text($"Pemilihan {input.ContestName} {input.VotingDate.Year}", $"{input.ContestName} election {input.VotingDate.Year}"),
            ["StartDate"] = day, ["EndDate"] = day, ["Candidate"] = candidates, ["Contest"] = new JsonArray(contest),
        };
        return new JsonObject
        {
            ["@type"] = "ElectionResults.ElectionReport",
            ["Format"] = "precinct-level",
            ["GeneratedDate"] = input.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["Issuer"] = input.Issuer, ["IssuerAbbreviation"] = input.IssuerAbbreviation,
            ["VendorApplicationId"] = "Pantau",
            // One report per contest, in one part; the publication sequence is the tally log position the report reflects (it only grows,
            // so a reader keeps the report with the highest one).
            ["SequenceStart"] = 1, ["SequenceEnd"] = 1,
            ["ExternalIdentifier"] = new JsonArray(Ident("other", "publication-sequence", input.PublicationSequence.ToString(CultureInfo.InvariantCulture))),
            ["Status"] = status,
            ["Notes"] = "Counts are those of the C.Hasil sheet that counts for each TPS (suara sah per paslon); VotersParticipated is suara sah + tidak sah.",
            ["Election"] = new JsonArray(election),
            ["GpUnit"] = gpUnits,
        };
    }

    private static JsonObject Unit(string code, string name, string type, string? otherType, List<string> composing)
    {
        var o = new JsonObject
        {
            ["@type"] = "ElectionResults.ReportingUnit", ["@id"] = GpUnitId(code), ["Name"] = Text(name, name), ["Type"] = type,
            ["ExternalIdentifier"] = new JsonArray(Ident("national-level", code.Contains('.') ? "kemendagri" : "kpu-tps", code)),
        };
        if (otherType is not null) o["OtherType"] = otherType;
        if (composing.Count > 0) o["ComposingGpUnitIds"] = new JsonArray(composing.Select(c => (JsonNode)c).ToArray());
        return o;
    }

    /// <summary>Provinsi → state, kabupaten → county, kota → city, kecamatan → other (kecamatan), desa/kelurahan → village, TPS → precinct.</summary>
    public static string UnitType(NistRegion r) => r.Level switch
    {
        RegionLevel.Provinsi => "state",
        RegionLevel.KabKota => r.Type?.StartsWith("kota", StringComparison.OrdinalIgnoreCase) == true || r.Name.StartsWith("Kota", StringComparison.OrdinalIgnoreCase) ? "city" : "county",
        RegionLevel.Kecamatan => "other",
        _ => "village",
    };

    private static JsonObject Ident(string type, string label, string value)
    {
        var o = new JsonObject { ["@type"] = "ElectionResults.ExternalIdentifier", ["Type"] = type, ["Value"] = value, ["Label"] = label };
        if (type == "other") o["OtherType"] = label;
        return o;
    }

    private static JsonObject Text(string id, string en) => new()
    {
        ["@type"] = "ElectionResults.InternationalizedText",
        ["Text"] = new JsonArray(
            new JsonObject { ["@type"] = "ElectionResults.LanguageString", ["Language"] = "id", ["Content"] = id },
            new JsonObject { ["@type"] = "ElectionResults.LanguageString", ["Language"] = "en", ["Content"] = en }),
    };
}
