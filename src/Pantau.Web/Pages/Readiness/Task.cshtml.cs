using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Web.Infrastructure;
using Pantau.Web.Readiness;
using TaskStatus = Pantau.Core.Readiness.TaskStatus;

namespace Pantau.Web.Pages.Readiness;

[Authorize]
public sealed class TaskModel(ReadinessService svc, ReadinessCommands cmd) : PageModel
{
    public TaskView? Task { get; private set; }
    [BindProperty] public TaskStatus? Status { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public long? Version { get; set; }
    [BindProperty] public IFormFile? Photo { get; set; }
    public Dictionary<string, string> Errors { get; } = [];
    public string? Message { get; private set; }
    public bool CanEdit { get; private set; }

    private async Task<bool> LoadAsync(string template, string subject, CancellationToken ct)
    {
        Task = (await svc.TasksAsync(subject, svc.Today, ct))?.FirstOrDefault(t => t.TemplateCode == template);
        if (Task is null) return false;
        var actor = HttpContext.GetActor();
        CanEdit = actor.IsIn(ReadinessModule.TaskEditors) && actor.Covers(Task.TpsCode ?? Task.RegionCode);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(string template, string subject, CancellationToken ct)
    {
        if (!await LoadAsync(template, subject, ct)) return NotFound();
        Status = Task!.Status; Note = Task.Note; Version = Task.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string template, string subject, CancellationToken ct)
    {
        if (!await LoadAsync(template, subject, ct)) return NotFound();
        if (!CanEdit) return Forbid();
        var actor = HttpContext.GetActor();
        var (view, error) = await cmd.UpdateTaskAsync(actor, template, subject, new TaskUpdate(Status, Note, Version), ct);
        if (error is null && Photo is { Length: > 0 })
        {
            (view, error) = await cmd.AttachPhotoAsync(actor, template, subject, Photo, ct);
        }
        if (error is not null)
        {
            if (error.Errors is { } errs) foreach (var (k, v) in errs) Errors[k] = string.Join(" ", v);
            else Errors[""] = error.Detail;
            Response.StatusCode = error.Status;
            return Page(); // keeps the user's input
        }
        Task = view;
        Version = view!.Version;
        Message = Photo is { Length: > 0 } ? "saved-photo" : "saved";
        return Page();
    }
}
