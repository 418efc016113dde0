using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Web.Admin;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Admin;

/// <summary>The audit trail: filter by user, entity and date, paged; export as CSV or Excel.</summary>
public sealed class AuditModel(AuditLog log, Pantau.Data.PantauDbContext db) : PageModel
{
    public Pantau.Data.PantauDbContext Db => db;
    [BindProperty(SupportsGet = true)] public string? User_ { get; set; }
    [BindProperty(SupportsGet = true)] public string? Entity { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public Page<AuditDto> Entries { get; private set; } = new([], 0, 1, 50);
    public List<string> EntityTypes { get; private set; } = [];

    public string Query(int page) =>
        $"User_={Uri.EscapeDataString(User_ ?? "")}&Entity={Uri.EscapeDataString(Entity ?? "")}&From={From:yyyy-MM-dd}&To={To:yyyy-MM-dd}&p={page}";
    public string ExportQuery(string format) =>
        $"user={Uri.EscapeDataString(User_ ?? "")}&entity={Uri.EscapeDataString(Entity ?? "")}&from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}&format={format}";

    public async Task OnGetAsync()
    {
        Entries = await log.ListAsync(HttpContext.GetActor(), new AuditFilter(User_, Entity, null, From, To, PageNumber, 50), HttpContext.RequestAborted);
        EntityTypes = await log.EntityTypesAsync(HttpContext.RequestAborted);
    }
}
