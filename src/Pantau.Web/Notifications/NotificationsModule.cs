using Microsoft.EntityFrameworkCore;
using Pantau.Core.Notifications;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Notifications;

public sealed record MarkRead(long? Id);

/// <summary>
/// Notifications: the outbox (an EF Core save interceptor adding notifications to the save of the event), the sender (e-mail through
/// SMTP with MailKit, signed webhooks; retries with backoff; every attempt recorded), the in-app bell and list, preferences, and the
/// admin's record of who was told. API under <c>/api/notifications</c> and <c>/api/admin/notifications</c>; pages <c>/notifikasi</c>
/// and <c>/admin/notifikasi</c>. See docs/notifications.md.
/// </summary>
public sealed class NotificationsModule : IPantauModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<NotificationOutbox>();
        services.ConfigureDbContext<PantauDbContext>((sp, o) => o.AddInterceptors(sp.GetRequiredService<NotificationOutbox>()));
        services.AddScoped<NotificationService>();
        services.AddSingleton<NotificationSender>();
        services.AddScoped<EmailChannel>();
        services.AddScoped<WebhookChannel>();
        services.AddHttpClient("pantau-webhooks");
        services.AddSingleton<IScheduledJob, NotificationSenderJob>();
        services.AddSingleton<IScheduledJob, NotificationTimersJob>();
        services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(o => o.Conventions.AuthorizeFolder("/Notifications"));
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/notifications").WithTags("Notifications").RequireRoles(RoleGroups.SignedIn);
        g.MapGet("/", async (NotificationService svc, HttpContext http, Lang lang, int? take, CancellationToken ct) =>
            TypedResults.Ok(await svc.ListAsync(http.GetActor(), lang.IsEnglish, take ?? 50, ct)));
        g.MapGet("/unread", async (NotificationService svc, HttpContext http, CancellationToken ct) =>
            TypedResults.Ok(new { count = await svc.UnreadCountAsync(http.GetActor(), ct) }));
        g.MapPost("/read", async Task<IResult> (NotificationService svc, HttpContext http, MarkRead? body, CancellationToken ct) =>
            await svc.MarkReadAsync(http.GetActor(), body?.Id, ct) ? TypedResults.NoContent()
                : TypedResults.Problem("Notifikasi tidak ditemukan / notification not found.", statusCode: 404, title: "Not found"))
            .WithoutRegionScope("only the caller's own notifications").Produces(204).ProducesProblem(404);
        g.MapGet("/preferences", async (NotificationService svc, HttpContext http, CancellationToken ct) => TypedResults.Ok(await svc.GetPreferencesAsync(http.GetActor(), ct)));
        g.MapPut("/preferences", async Task<IResult> (NotificationService svc, HttpContext http, PreferencesDto? body, CancellationToken ct) =>
        {
            if (body is null) return TypedResults.Problem("Isi kosong / empty body.", statusCode: 400, title: "Invalid input");
            var errors = await svc.SavePreferencesAsync(http.GetActor(), body, ct);
            return errors is null ? TypedResults.Ok(await svc.GetPreferencesAsync(http.GetActor(), ct)) : TypedResults.ValidationProblem(errors, title: "Data tidak sah / invalid input");
        }).WithoutRegionScope("only the caller's own preferences");

        var a = app.MapGroup("/api/admin").WithTags("Admin").RequireRoles(Role.Admin);
        a.MapGet("/notifications", async (NotificationService svc, HttpContext http, Lang lang, string? subject, NotificationKind? kind, int? take, CancellationToken ct) =>
            TypedResults.Ok(await svc.RecordAsync(http.GetActor(), subject, kind, lang.IsEnglish, take ?? 200, ct)));
        a.MapGet("/webhooks", async (NotificationService svc, HttpContext http, CancellationToken ct) => TypedResults.Ok(await svc.WebhooksAsync(http.GetActor(), ct)));
        a.MapPost("/webhooks", async Task<IResult> (NotificationService svc, HttpContext http, NewWebhook? body, PantauDbContext db, CancellationToken ct) =>
        {
            if (body is null) return TypedResults.Problem("Isi kosong / empty body.", statusCode: 400, title: "Invalid input");
            var actor = http.GetActor();
            var region = body.RegionCode?.Trim() ?? "";
            if (!actor.Covers(region)) return TypedResults.Problem("Wilayah di luar cakupan Anda / region outside your scope.", statusCode: 403, title: "Forbidden");
            var errors = NotificationService.ValidateWebhook(body);
            if (region.Length > 0 && !await db.Regions.AnyAsync(r => r.Code == region, ct)) errors["regionCode"] = ["Wilayah tidak ditemukan / region not found."];
            if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "Data tidak sah / invalid input");
            return TypedResults.Ok(await svc.AddWebhookAsync(actor, body, ct));
        }).WithScopeProbe(Role.Admin, "16.71",
            new ProbeRequest("POST", "/api/admin/webhooks", new { name = "Gateway Palembang", regionCode = "16.71", url = "http://127.0.0.1:9/hook", secret = "rahasia-gateway-0123456789" }),
            new ProbeRequest("POST", "/api/admin/webhooks", new { name = "Gateway Lahat", regionCode = "16.04", url = "http://127.0.0.1:9/hook", secret = "rahasia-gateway-0123456789" }));
    }
}
