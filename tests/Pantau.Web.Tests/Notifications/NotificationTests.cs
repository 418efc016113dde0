using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Notifications;
using Pantau.Core.Security;
using Pantau.Data.Notifications;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;
using Pantau.Web.Notifications;

namespace Pantau.Web.Tests.Notifications;

public class NotificationTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static object Report(string region, string severity = "High", string? contact = null) => new
    {
        category = "SecurityIncident", regionCode = region, title = "Bentrokan pendukung di pasar",
        description = "Dua kelompok pendukung paslon bentrok di depan pasar kecamatan, dua orang luka.", severity, reporterContact = contact,
    };

    private static async Task<JsonElement> Ok(HttpResponseMessage res)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(res.IsSuccessStatusCode, $"{(int)res.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<string> UserWithEmail(PantauApp app, Role role, string scope, string email, string? agency = null)
    {
        var (u, _) = await app.CreateUserAsync(role, scope);
        await using var db = app.NewDbContext();
        var row = await db.Users.FirstAsync(x => x.Id == u.Id);
        row.Email = email; row.NormalizedEmail = email.ToUpperInvariant(); row.Agency = agency;
        await db.SaveChangesAsync();
        return u.Id;
    }

    private static Task<(int, int)> Send(PantauApp app, string instance = "test") =>
        app.Services.GetRequiredService<NotificationSender>().SendDueAsync(instance, CancellationToken.None);

    [Theory, MemberData(nameof(Providers))]
    public async Task An_incident_reaches_exactly_the_users_in_scope_by_app_email_and_signed_webhook(DatabaseProvider provider)
    {
        await using var smtp = new SmtpTestServer();
        await using var hook = await WebhookReceiver.StartAsync();
        await using var app = await PantauApp.StartAsync(provider, settings: smtp.Settings());
        var inScope = new Dictionary<string, string>
        {
            [await UserWithEmail(app, Role.DeskKabKota, "16.04", "desk.lahat@pantau.test")] = "desk.lahat@pantau.test",
            [await UserWithEmail(app, Role.DeskProvinsi, "16", "desk.sumsel@pantau.test")] = "desk.sumsel@pantau.test",
            [await UserWithEmail(app, Role.Camat, "16.04.01", "camat@pantau.test")] = "camat@pantau.test",
            [await UserWithEmail(app, Role.Police, "16.04", "polres@pantau.test")] = "polres@pantau.test",
        };
        var outOfScope = new[]
        {
            await UserWithEmail(app, Role.DeskKabKota, "16.71", "desk.plg@pantau.test"),
            await UserWithEmail(app, Role.Camat, "16.04.02", "camat2@pantau.test"),
            await UserWithEmail(app, Role.KppsOperator, "16.04", "kpps@pantau.test"),
        };
        var admin = await app.ClientForAsync(Role.Admin, "16");
        const string secret = "rahasia-gateway-lahat-2024";
        await Ok(await admin.PostAsJsonAsync("/api/admin/webhooks", new { name = "WA Lahat", regionCode = "16.04", url = hook.Url, secret }));
        await Ok(await admin.PostAsJsonAsync("/api/admin/webhooks", new { name = "WA Palembang", regionCode = "16.71", url = hook.Url, secret = "rahasia-gateway-palembang" }));

        var officer = await app.ClientForAsync(Role.DeskKabKota, "16.04");
        var created = await Ok(await officer.PostAsJsonAsync("/api/incidents", Report("16.04.01")));
        var incidentId = created.GetProperty("id").GetGuid();

        await using (var db = app.NewDbContext())
        {
            var told = await db.Notifications.Where(n => n.Subject == "incident:" + incidentId && n.UserId != null).Select(n => n.UserId!).ToListAsync();
            // The filing officer is a DeskKabKota of 16.04 too: they are in scope as well.
            Assert.Subset(told.ToHashSet(), inScope.Keys.ToHashSet());
            Assert.Empty(told.Intersect(outOfScope));
            Assert.Equal(told.Count, told.Distinct().Count());
        }

        var (delivered, failed) = await Send(app);
        Assert.Equal(0, failed);
        var mails = smtp.Messages.ToList();
        Assert.Equal(inScope.Values.Order(), mails.SelectMany(m => m.To).Order());
        var mail = mails[0];
        Assert.Contains("Laporan insiden baru", mail.Subject);
        Assert.Contains("New incident report", mail.Subject);
        Assert.Contains("http://pantau.test/insiden/" + incidentId, mail.Body);
        Assert.Contains("-- English --", mail.Body);

        var request = Assert.Single(hook.Requests);
        Assert.Equal(WebhookChannel.Sign(secret, request.Body), request.Signature);
        Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), request.Body)), request.Signature);
        var payload = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(request.Id, payload.GetProperty("id").GetString());
        Assert.Equal("IncidentFiled", payload.GetProperty("kind").GetString());
        Assert.Equal(inScope.Count + 1, delivered);

        // The admin's record: who, which channel, when; e-mail addresses masked.
        var record = await Ok(await admin.GetAsync("/api/admin/notifications?subject=incident:" + incidentId));
        var rows = record.EnumerateArray().SelectMany(n => n.GetProperty("deliveries").EnumerateArray()).ToList();
        Assert.Equal(inScope.Count, rows.Count(d => d.GetProperty("channel").GetString() == "Email" && d.GetProperty("status").GetString() == "Delivered"));
        Assert.Contains(rows, d => d.GetProperty("target").GetString() == "d***@pantau.test");
        Assert.DoesNotContain("desk.lahat@pantau.test", record.GetRawText());
        // In the app: the four above, the filing officer (Desk 16.04) and the province admin.
        Assert.Equal(inScope.Count + 2, rows.Count(d => d.GetProperty("channel").GetString() == "InApp"));
        // A Palembang admin does not see Lahat's record.
        var plgAdmin = await app.ClientForAsync(Role.Admin, "16.71");
        Assert.Equal(0, (await Ok(await plgAdmin.GetAsync("/api/admin/notifications"))).GetArrayLength());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_bell_counts_unread_and_a_user_reads_only_their_own(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var desk = await app.ClientForAsync(Role.DeskKabKota, "16.04");
        var other = await app.ClientForAsync(Role.DeskKabKota, "16.71");
        await Ok(await desk.PostAsJsonAsync("/api/incidents", Report("16.04.01")));
        await Ok(await desk.PostAsJsonAsync("/api/incidents", Report("16.04.01")));
        Assert.Equal(2, (await Ok(await desk.GetAsync("/api/notifications/unread"))).GetProperty("count").GetInt32());
        Assert.Equal(0, (await Ok(await other.GetAsync("/api/notifications/unread"))).GetProperty("count").GetInt32());
        var list = await Ok(await desk.GetAsync("/api/notifications"));
        var first = list[0].GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync("/api/notifications/read", new { id = first })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await desk.PostAsJsonAsync("/api/notifications/read", new { id = first })).StatusCode);
        Assert.Equal(1, (await Ok(await desk.GetAsync("/api/notifications/unread"))).GetProperty("count").GetInt32());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.AnonymousClient().GetAsync("/api/notifications/unread")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_failing_smtp_server_is_retried_with_backoff_and_every_attempt_recorded(DatabaseProvider provider)
    {
        await using var smtp = new SmtpTestServer();
        await using var app = await PantauApp.StartAsync(provider, settings: smtp.Settings());
        await UserWithEmail(app, Role.DeskKabKota, "16.04", "desk.lahat@pantau.test");
        var officer = await app.ClientForAsync(Role.Camat, "16.04.01");
        smtp.FailNext(2);
        await Ok(await officer.PostAsJsonAsync("/api/incidents", Report("16.04.01")));

        Assert.Equal((0, 1), await Send(app));
        Assert.Empty(smtp.Messages);
        Assert.Equal((0, 0), await Send(app)); // not due yet: backoff 30 s
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal((0, 1), await Send(app));
        app.Clock.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal((0, 0), await Send(app)); // second backoff is 1 min
        app.Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal((1, 0), await Send(app));
        Assert.Single(smtp.Messages);
        await using (var db = app.NewDbContext())
        {
            var d = await db.NotificationDeliveries.Include(x => x.AttemptLog).SingleAsync(x => x.Channel == NotificationChannel.Email);
            Assert.Equal(DeliveryStatus.Delivered, d.Status);
            Assert.Equal(3, d.Attempts);
            Assert.Equal([false, false, true], d.AttemptLog.OrderBy(a => a.Id).Select(a => a.Success));
            Assert.Contains("451", d.AttemptLog.OrderBy(a => a.Id).First().Error);
        }

        // A server that stays down: given up after the last attempt, the error kept for the admin.
        smtp.AlwaysFail = true;
        await Ok(await officer.PostAsJsonAsync("/api/incidents", Report("16.04.01")));
        for (var i = 0; i < NotificationSchedule.MaxAttempts; i++) { await Send(app); app.Clock.Advance(TimeSpan.FromHours(1)); }
        await using (var db = app.NewDbContext())
        {
            var d = await db.NotificationDeliveries.OrderByDescending(x => x.Id).FirstAsync(x => x.Channel == NotificationChannel.Email);
            Assert.Equal(DeliveryStatus.Failed, d.Status);
            Assert.Equal(NotificationSchedule.MaxAttempts, d.Attempts);
            Assert.Contains("451", d.LastError);
        }
        var admin = await app.ClientForAsync(Role.Admin, "16");
        var record = (await Ok(await admin.GetAsync("/api/admin/notifications"))).GetRawText();
        Assert.Contains("\"Failed\"", record);
        Assert.Contains("451", record);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Quiet_hours_hold_mail_until_morning_critical_breaks_through_and_a_digest_is_one_mail(DatabaseProvider provider)
    {
        await using var smtp = new SmtpTestServer();
        // 23:30 WIB
        await using var app = await PantauApp.StartAsync(provider, now: new DateTimeOffset(2024, 11, 20, 16, 30, 0, TimeSpan.Zero), settings: smtp.Settings());
        var (quietUser, pw) = await app.CreateUserAsync(Role.DeskKabKota, "16.04");
        var digestUserId = await UserWithEmail(app, Role.DeskKabKota, "16.04", "digest@pantau.test");
        await using (var db = app.NewDbContext())
        {
            var u = await db.Users.FirstAsync(x => x.Id == quietUser.Id);
            u.Email = "quiet@pantau.test";
            db.NotificationPreferences.Add(new NotificationPreference { UserId = digestUserId, Digest = true, DigestHour = 7, Email = true });
            await db.SaveChangesAsync();
        }
        // The quiet user sets their own quiet hours through the API (cookie session + CSRF header).
        var cookie = await app.CookieClientAsync(quietUser.UserName!, pw);
        var csrf = (await Ok(await cookie.GetAsync("/api/account/csrf"))).GetProperty("token").GetString();
        var put = new HttpRequestMessage(HttpMethod.Put, "/api/notifications/preferences")
        { Content = JsonContent.Create(new { mutedKinds = Array.Empty<int>(), email = true, digest = false, digestHour = 7, quietFrom = "22:00", quietTo = "06:00" }) };
        put.Headers.Add("X-CSRF-TOKEN", csrf);
        await Ok(await cookie.SendAsync(put));
        var bad = new HttpRequestMessage(HttpMethod.Put, "/api/notifications/preferences") { Content = JsonContent.Create(new { email = true, digestHour = 7, quietFrom = "25:00", quietTo = "06:00" }) };
        bad.Headers.Add("X-CSRF-TOKEN", csrf);
        Assert.Equal(HttpStatusCode.BadRequest, (await cookie.SendAsync(bad)).StatusCode);

        var officer = await app.ClientForAsync(Role.Camat, "16.04.01");
        await Ok(await officer.PostAsJsonAsync("/api/incidents", Report("16.04.01", "High")));
        await Ok(await officer.PostAsJsonAsync("/api/incidents", Report("16.04.01", "Medium")));
        await Send(app);
        Assert.Empty(smtp.Messages); // quiet user sleeps, digest user waits for 07:00

        await Ok(await officer.PostAsJsonAsync("/api/incidents", Report("16.04.01", "Critical")));
        await Send(app);
        Assert.Equal(["digest@pantau.test", "quiet@pantau.test"], smtp.Messages.SelectMany(m => m.To).Order());
        while (smtp.Messages.TryDequeue(out _)) { }

        app.Clock.Advance(TimeSpan.FromMinutes(6 * 60 + 31)); // 06:01 WIB
        await Send(app);
        Assert.Equal(["quiet@pantau.test", "quiet@pantau.test"], smtp.Messages.SelectMany(m => m.To));
        while (smtp.Messages.TryDequeue(out _)) { }

        app.Clock.Advance(TimeSpan.FromMinutes(60)); // 07:01 WIB: one digest mail with both items
        await Send(app);
        var digest = Assert.Single(smtp.Messages);
        Assert.Equal(["digest@pantau.test"], digest.To);
        Assert.Contains("Ringkasan harian: 2", digest.Subject);
        Assert.Equal(2, digest.NotificationIds.Split(',').Length);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Two_senders_at_once_deliver_each_notification_once(DatabaseProvider provider)
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var app = await PantauApp.StartAsync(provider);
        var admin = await app.ClientForAsync(Role.Admin, "16");
        await Ok(await admin.PostAsJsonAsync("/api/admin/webhooks", new { name = "Telegram Sumsel", regionCode = "16", url = hook.Url, secret = "rahasia-gateway-sumsel-01" }));
        var officer = await app.ClientForAsync(Role.DeskProvinsi, "16");
        for (var i = 0; i < 12; i++) await Ok(await officer.PostAsJsonAsync("/api/incidents", Report(i % 2 == 0 ? "16.04.01" : "16.71.01")));
        await using var second = await PantauApp.StartOnAsync(app.Database, app.Clock.GetUtcNow());
        hook.FailNext = 3; // three first tries fail and are retried later
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => Send(i % 2 == 0 ? app : second, "instance-" + i))));
        app.Clock.Advance(TimeSpan.FromMinutes(1)); second.Clock.Advance(TimeSpan.FromMinutes(1));
        await Task.WhenAll(Send(app, "a"), Send(second, "b"));
        Assert.Equal(12, hook.Unique.Count);
        Assert.Equal(12 + 3, hook.Requests.Count); // never sent twice except the three retried failures
    }
}
