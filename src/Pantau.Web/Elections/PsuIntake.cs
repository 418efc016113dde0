using Microsoft.EntityFrameworkCore;
using Pantau.Core.Elections;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Elections;
using Pantau.Web.Tally;

namespace Pantau.Web.Elections;

/// <summary>
/// The sheet of a re-voting TPS (issue 21 point 7), for <c>POST /api/elections/{psu}/sheets</c> and the entry form alike: from the PSU's
/// voting day on it goes through the ordinary Tally intake as a correction of the counted sheet with the reason <c>PSU CODE (date)</c>,
/// so the original stays in the history and the log. The caller checks the actor's scope on the TPS first.
/// </summary>
public sealed class PsuIntake(ElectionCatalog catalog, PantauDbContext db, TallyService tally)
{
    /// <summary>Why a PSU sheet is refused: HTTP status, problem title and a message "Indonesia / English".</summary>
    public sealed record Refusal(int Status, string Title, string Message);

    /// <summary>The PSU in which <paramref name="tps"/> re-votes <paramref name="contest"/> and whose voting day has come (the latest), or null.</summary>
    public async Task<ElectionCatalog.Revote?> DueAsync(string contest, string tps, CancellationToken ct = default) =>
        (await catalog.RevotedAsync(contest, includeComing: false, ct)).Where(r => r.TpsCode == tps).MaxBy(r => r.VotingDate);

    public async Task<(SheetOutcome? Outcome, Refusal? Refused)> SubmitAsync(Actor actor, ElectionCatalog.Entry election, SheetInput input, CancellationToken ct = default)
    {
        if (election.Kind != ElectionKind.Psu)
            return (null, new(400, "Not a PSU", $"{election.Code} bukan PSU / not a PSU."));
        var sheet = input.Sheet;
        var listed = (await catalog.RevotedAsync(sheet.Contest, includeComing: true, ct)).FirstOrDefault(r => r.TpsCode == sheet.Tps && r.ElectionCode == election.Code);
        if (listed is null)
            return (null, new(400, "Not re-voted", $"TPS {sheet.Tps} tidak mengulang {sheet.Contest} dalam {election.Code} / this TPS does not re-vote this contest in this PSU."));
        if (catalog.Today < election.VotingDate)
            return (null, new(409, "Not yet", $"PSU {election.Code} baru dilaksanakan {election.VotingDate:yyyy-MM-dd} / the re-vote takes place on {election.VotingDate:yyyy-MM-dd}."));
        var counted = await db.TallyCurrent.AsNoTracking().AnyAsync(c => c.ContestCode == sheet.Contest && c.TpsCode == sheet.Tps, ct);
        var reason = $"PSU {election.Code} ({election.VotingDate:yyyy-MM-dd})" + (string.IsNullOrWhiteSpace(input.Reason) ? "" : ": " + input.Reason.Trim());
        var result = (await tally.SubmitAsync(actor, "psu", [input with { IsCorrection = counted, Reason = reason }], ct))[0];
        return (result, null);
    }
}
