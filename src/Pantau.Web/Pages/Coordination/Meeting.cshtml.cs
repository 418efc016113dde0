using Microsoft.AspNetCore.Mvc;
using Pantau.Core.Coordination;
using Pantau.Web.Coordination;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Coordination;

public sealed class MeetingModel(CoordinationService coord, Lang lang) : CoordinationPage
{
    public MeetingDto? Meeting { get; private set; }
    public List<AgencyDto> Agencies { get; private set; } = [];
    public bool CanEdit { get; private set; }
    public string? Problem { get; private set; }

    [BindProperty] public string? DecisionText { get; set; }
    [BindProperty] public string? ActionTitle { get; set; }
    [BindProperty] public int? OwnerAgencyId { get; set; }
    [BindProperty] public string? ActionRegion { get; set; }
    [BindProperty] public string? DueAt { get; set; }
    [BindProperty] public string? TahapanCode { get; set; }
    [BindProperty] public int? TahapanOffsetDays { get; set; }
    [BindProperty] public string? Minutes { get; set; }
    [BindProperty] public List<int> Attended { get; set; } = [];

    public static IReadOnlyDictionary<string, (string Name, DateOnly Start, DateOnly End)> Tahapan => PilkadaSchedule.Tahapan;

    private async Task<bool> Load(int id, CancellationToken ct)
    {
        Meeting = await coord.GetMeetingAsync(id, ct);
        if (Meeting is null) return false;
        CanEdit = IsDesk && Actor.Covers(Meeting.RegionCode);
        Agencies = await coord.AgenciesAsync(Meeting.RegionCode, null, true, ct);
        Minutes ??= Meeting.Minutes;
        return true;
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await Load(id, ct)) return NotFound();
        if (!Actor.Covers(Meeting!.RegionCode))
        {
            var mine = await coord.AgenciesOfAsync(Actor, ct);
            if (!Meeting.Participants.Any(p => mine.Contains(p.AgencyId)) && !Meeting.Decisions.SelectMany(d => d.Actions).Any(a => mine.Contains(a.OwnerAgencyId))) return Forbid();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostDecisionAsync(int id, CancellationToken ct)
    {
        var actions = string.IsNullOrWhiteSpace(ActionTitle) ? new List<ActionInput>()
            : [new ActionInput(ActionTitle, null, OwnerAgencyId, ActionRegion, ParseLocal(DueAt), TahapanCode, TahapanOffsetDays)];
        var o = await coord.AddDecisionAsync(Actor, id, new DecisionInput(DecisionText, actions), ct);
        if (o.Ok) return Redirect(Pantau.Web.Infrastructure.SavedNotice.With($"/koordinasi/rakor/{id}#keputusan", "keputusan"));
        return await Fail(id, o.Status, o.Message, o.Errors, ct);
    }

    public async Task<IActionResult> OnPostMinutesAsync(int id, CancellationToken ct)
    {
        var m = await coord.GetMeetingAsync(id, ct);
        if (m is null) return NotFound();
        var parts = m.Participants.Select(p => new ParticipantInput(p.AgencyId, Attended.Contains(p.AgencyId), p.Representative)).ToList();
        var o = await coord.UpdateMinutesAsync(Actor, id, new MinutesInput(Minutes, parts, null), ct);
        if (o.Ok) return Redirect(Pantau.Web.Infrastructure.SavedNotice.With($"/koordinasi/rakor/{id}", "notulen"));
        return await Fail(id, o.Status, o.Message, o.Errors, ct);
    }

    private async Task<IActionResult> Fail(int id, int status, string? message, Dictionary<string, string[]>? errors, CancellationToken ct)
    {
        foreach (var (k, v) in errors ?? []) Errors[k.Replace("actions[0].", "", StringComparison.Ordinal)] = v;
        Problem = message ?? lang.T("Periksa isian yang ditandai.", "Check the marked fields.");
        if (!await Load(id, ct)) return NotFound();
        Response.StatusCode = status;
        return Page();
    }
}
