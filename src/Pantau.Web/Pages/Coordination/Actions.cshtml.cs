using Microsoft.AspNetCore.Mvc;
using Pantau.Core.Coordination;
using Pantau.Web.Coordination;

namespace Pantau.Web.Pages.Coordination;

[Microsoft.AspNetCore.Authorization.Authorize(Policy = Pantau.Web.Infrastructure.Access.Actions)]
public sealed class ActionsModel(CoordinationService coord, IConfiguration config) : CoordinationPage
{
    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public bool Overdue { get; set; }
    [BindProperty(SupportsGet = true)] public bool Open { get; set; }
    [BindProperty(SupportsGet = true)] public bool Mine { get; set; }
    public List<ActionDto> Actions { get; private set; } = [];
    /// <summary>The request named a region (the agency queue is then limited to that subtree; otherwise it lists all of the agency's actions).</summary>
    public bool RegionGiven { get; private set; }
    public string? Message { get; private set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await Load(ct);

    private async Task Load(CancellationToken ct)
    {
        RegionGiven = Pantau.Core.Regions.RegionCode.IsValid(Region?.Trim());
        if (Mine)
        {
            // The agency queue may hold actions outside the user's own scope (the owner agency sees its actions wherever they are);
            // a picked region narrows it to that subtree.
            Region = RegionGiven ? Region!.Trim() : RegionOrScope(null, config);
            var within = RegionGiven ? Region : "";
            foreach (var id in await coord.AgenciesOfAsync(Actor, ct)) Actions.AddRange(await coord.ListActionsAsync(within, null, false, id, null, null, ct));
            Actions = Actions.OrderBy(a => ActionRules.IsClosed(a.Status)).ThenBy(a => a.DueAt).ToList();
            return;
        }
        Region = RegionOrScope(Region, config);
        ActionStatus? st = Enum.TryParse<ActionStatus>(Status, true, out var s) ? s : null;
        Actions = await coord.ListActionsAsync(Region, st, Overdue, null, null, null, ct);
        if (Open) Actions = Actions.Where(a => !ActionRules.IsClosed(a.Status)).ToList();
    }

    public async Task<IActionResult> OnPostStatusAsync(int id, ActionStatus? status, string? note, long? version, string? returnUrl, CancellationToken ct)
    {
        var o = await coord.UpdateStatusAsync(Actor, id, new StatusInput(status, note, version), ct);
        if (o.Ok) return LocalRedirect(Pantau.Web.Infrastructure.SavedNotice.With((Url.IsLocalUrl(returnUrl) ? returnUrl! : "/koordinasi/tindak-lanjut") + "#tl-" + id, "tindak-lanjut"));
        Problem = o.Errors is not null ? string.Join(" ", o.Errors.SelectMany(e => e.Value)) : o.Message;
        Response.StatusCode = o.Status;
        await Load(ct);
        return Page();
    }
}
