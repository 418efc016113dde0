using Microsoft.AspNetCore.Mvc;
using Pantau.Core.Coordination;
using Pantau.Web.Coordination;

namespace Pantau.Web.Pages.Coordination;

public sealed class ActionsModel(CoordinationService coord, IConfiguration config) : CoordinationPage
{
    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public bool Overdue { get; set; }
    [BindProperty(SupportsGet = true)] public bool Open { get; set; }
    [BindProperty(SupportsGet = true)] public bool Mine { get; set; }
    public List<ActionDto> Actions { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await Load(ct);

    private async Task Load(CancellationToken ct)
    {
        Region = RegionOrScope(Region, config);
        if (Mine)
        {
            foreach (var id in await coord.AgenciesOfAsync(Actor, ct)) Actions.AddRange(await coord.ListActionsAsync("", null, false, id, null, null, ct));
            Actions = Actions.OrderBy(a => ActionRules.IsClosed(a.Status)).ThenBy(a => a.DueAt).ToList();
            return;
        }
        ActionStatus? st = Enum.TryParse<ActionStatus>(Status, true, out var s) ? s : null;
        Actions = await coord.ListActionsAsync(Region, st, Overdue, null, null, null, ct);
        if (Open) Actions = Actions.Where(a => !ActionRules.IsClosed(a.Status)).ToList();
    }

    public async Task<IActionResult> OnPostStatusAsync(int id, ActionStatus? status, string? note, long? version, string? returnUrl, CancellationToken ct)
    {
        var o = await coord.UpdateStatusAsync(Actor, id, new StatusInput(status, note, version), ct);
        if (o.Ok) return LocalRedirect((Url.IsLocalUrl(returnUrl) ? returnUrl! : "/koordinasi/tindak-lanjut") + "#tl-" + id);
        Problem = o.Errors is not null ? string.Join(" ", o.Errors.SelectMany(e => e.Value)) : o.Message;
        Response.StatusCode = o.Status;
        await Load(ct);
        return Page();
    }
}
