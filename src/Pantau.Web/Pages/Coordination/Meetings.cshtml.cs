using Microsoft.AspNetCore.Mvc;
using Pantau.Web.Coordination;

namespace Pantau.Web.Pages.Coordination;

[Microsoft.AspNetCore.Authorization.Authorize(Policy = Pantau.Web.Infrastructure.Access.Desk)]
public sealed class MeetingsModel(CoordinationService coord, IConfiguration config) : CoordinationPage
{
    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    public List<MeetingSummaryDto> Meetings { get; private set; } = [];
    public List<AgencyDto> Agencies { get; private set; } = [];

    [BindProperty] public string? Title { get; set; }
    [BindProperty] public string? HeldAt { get; set; }
    [BindProperty] public string? Location { get; set; }
    [BindProperty] public string? Chair { get; set; }
    [BindProperty] public string? Agenda { get; set; }
    [BindProperty] public string? Minutes { get; set; }
    [BindProperty] public List<int> Participants { get; set; } = [];
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        HeldAt = ToLocalInput(coord.Now);
        await Load(ct);
    }

    private async Task Load(CancellationToken ct)
    {
        Region = RegionOrScope(Region, config);
        Meetings = await coord.ListMeetingsAsync(Region, ct);
        Agencies = (await coord.AgenciesAsync(Region, null, true, ct)).Where(a => a.RegionCode.Length <= Region.Length || a.IsForkopim && a.RegionCode.Length == Region.Length + 3).ToList();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!IsDesk) return Forbid();
        var input = new MeetingInput(Title, Region, ParseLocal(HeldAt), Location, Chair, Minutes,
            (Agenda ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => new AgendaInput(t, null)).ToList(),
            Participants.Distinct().Select(id => new ParticipantInput(id, false, null)).ToList(), null);
        var o = await coord.CreateMeetingAsync(Actor, input, ct);
        if (o.Ok) return Redirect(Pantau.Web.Infrastructure.SavedNotice.With($"/koordinasi/rakor/{o.Value!.Id}", "rakor"));
        foreach (var (k, v) in o.Errors ?? []) Errors[k] = v;
        Problem = o.Message ?? L("Periksa isian yang ditandai.", "Check the marked fields.");
        Response.StatusCode = o.Status;
        var keep = Region;
        await Load(ct);
        Region = keep;
        return Page();
    }

    private string L(string id, string en) => HttpContext.RequestServices.GetRequiredService<Infrastructure.Lang>().T(id, en);
}
