using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Pantau.Core.Notifications;
using Pantau.Data;
using Pantau.Data.Notifications;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Notifications;

/// <summary>SMTP settings (<c>Pantau:Smtp:*</c>): host, port, TLS (<c>None</c>, <c>StartTls</c>, <c>SslOnConnect</c>, <c>Auto</c>), credentials, sender.</summary>
public sealed record SmtpSettings(string? Host, int Port, SecureSocketOptions Security, string? User, string? Password, string From, string PublicUrl)
{
    public static SmtpSettings From_(IConfiguration c) => new(
        c["Pantau:Smtp:Host"], c.GetValue("Pantau:Smtp:Port", 587),
        Enum.TryParse<SecureSocketOptions>(c["Pantau:Smtp:Security"], true, out var s) ? s : SecureSocketOptions.StartTlsWhenAvailable,
        c["Pantau:Smtp:User"], c["Pantau:Smtp:Password"], c["Pantau:Smtp:From"] ?? "Pantau <pantau@localhost>",
        (c["Pantau:PublicUrl"] ?? "http://127.0.0.1:5080").TrimEnd('/'));
}

/// <summary>Sends e-mails through a real SMTP server with MailKit.</summary>
public sealed class EmailChannel(IConfiguration config)
{
    public async Task SendAsync(IReadOnlyList<Notification> items, string to, bool digest, CancellationToken ct)
    {
        var s = SmtpSettings.From_(config);
        if (string.IsNullOrWhiteSpace(s.Host)) throw new InvalidOperationException("SMTP belum diatur / SMTP is not configured (Pantau:Smtp:Host).");
        var msg = new MimeMessage();
        msg.From.Add(MailboxAddress.Parse(s.From));
        msg.To.Add(MailboxAddress.Parse(to));
        var first = items[0];
        msg.MessageId = $"{first.PublicId:N}@pantau";
        msg.Subject = digest
            ? $"[Pantau] Ringkasan harian: {items.Count} notifikasi / Daily digest: {items.Count} notifications"
            : $"[Pantau] {first.TitleId} / {first.TitleEn}";
        msg.Headers.Add("X-Pantau-Notification-Id", string.Join(",", items.Select(i => i.PublicId.ToString())));
        var body = new StringBuilder();
        foreach (var n in items)
            body.Append(n.TitleId).Append('\n').Append(n.BodyId).Append('\n').Append(s.PublicUrl).Append(n.Link).Append("\n\n");
        body.Append("-- English --\n\n");
        foreach (var n in items)
            body.Append(n.TitleEn).Append('\n').Append(n.BodyEn).Append('\n').Append(s.PublicUrl).Append(n.Link).Append("\n\n");
        body.Append("Atur notifikasi Anda / manage your notifications: ").Append(s.PublicUrl).Append("/notifikasi\n");
        msg.Body = new TextPart("plain") { Text = body.ToString() };
        using var client = new SmtpClient { Timeout = 20_000 };
        await client.ConnectAsync(s.Host, s.Port, s.Security, ct);
        if (!string.IsNullOrEmpty(s.User)) await client.AuthenticateAsync(s.User, s.Password ?? "", ct);
        await client.SendAsync(msg, ct);
        await client.DisconnectAsync(true, ct);
    }
}

/// <summary>Signed JSON webhooks: <c>X-Pantau-Signature: sha256=HEX</c> is HMAC-SHA256 of the body with the subscription's secret.</summary>
public sealed class WebhookChannel(IHttpClientFactory http)
{
    public const string SignatureHeader = "X-Pantau-Signature";
    public const string IdHeader = "X-Pantau-Notification-Id";

    public static string Sign(string secret, byte[] body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static byte[] Payload(Notification n) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        id = n.PublicId, kind = n.Kind.ToString(), region = n.RegionCode, subject = n.Subject, critical = n.Critical, createdAt = n.CreatedAt,
        title = new { id = n.TitleId, en = n.TitleEn }, body = new { id = n.BodyId, en = n.BodyEn }, link = n.Link,
    }, JsonSerializerOptions.Web);

    public async Task SendAsync(Notification n, WebhookSubscription hook, string publicUrl, CancellationToken ct)
    {
        var body = Payload(n);
        using var req = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        req.Headers.Add(SignatureHeader, Sign(hook.Secret, body));
        req.Headers.Add(IdHeader, n.PublicId.ToString());
        req.Headers.Add("X-Pantau-Link", publicUrl + n.Link);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(15));
        using var res = await http.CreateClient("pantau-webhooks").SendAsync(req, cts.Token);
        if (!res.IsSuccessStatusCode) throw new HttpRequestException($"HTTP {(int)res.StatusCode} {res.ReasonPhrase}");
    }
}

/// <summary>
/// Delivers due e-mail and webhook deliveries. Each delivery is claimed with one atomic conditional UPDATE (pending and due, or a
/// sender's lease that ran out), so several instances on one database never send the same delivery at once; a sender that dies
/// mid-way leaves a lease that runs out, and another picks the delivery up (at least once: receivers deduplicate by notification id).
/// Every attempt is recorded; failures are retried with exponential backoff, then marked failed with the last error.
/// </summary>
public sealed class NotificationSender(IServiceProvider root, TimeProvider time, IConfiguration config, ILogger<NotificationSender> log)
{
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public async Task<(int Delivered, int Failed)> SendDueAsync(string instance, CancellationToken ct)
    {
        using var scope = root.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        var now = time.GetUtcNow();
        var ids = await db.NotificationDeliveries.AsNoTracking()
            .Where(d => (d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now) || (d.Status == DeliveryStatus.Sending && d.LockedUntil < now))
            .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(config.GetValue("Pantau:Notifications:Batch", 200)).ToListAsync(ct);
        var claimed = new List<long>();
        var until = now + Lease;
        foreach (var id in ids)
        {
            var n = await db.NotificationDeliveries
                .Where(d => d.Id == id && ((d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now) || (d.Status == DeliveryStatus.Sending && d.LockedUntil < now)))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Sending).SetProperty(d => d.LockedUntil, until).SetProperty(d => d.LockedBy, instance), ct);
            if (n == 1) claimed.Add(id);
        }
        if (claimed.Count == 0) return (0, 0);
        var rows = await db.NotificationDeliveries.Include(d => d.Notification).Where(d => claimed.Contains(d.Id)).ToListAsync(ct);
        var hooks = await db.WebhookSubscriptions.AsNoTracking().ToDictionaryAsync(w => w.Id, ct);
        var email = scope.ServiceProvider.GetRequiredService<EmailChannel>();
        var webhooks = scope.ServiceProvider.GetRequiredService<WebhookChannel>();
        var publicUrl = SmtpSettings.From_(config).PublicUrl;
        int delivered = 0, failed = 0;

        // Groups sent as one: a digest is one e-mail per address with every item due; everything else goes one by one.
        var groups = rows.Where(d => d.Channel == NotificationChannel.Email && d.Digest).GroupBy(d => d.EmailAddress ?? "").Select(g => g.ToList())
            .Concat(rows.Where(d => !(d.Channel == NotificationChannel.Email && d.Digest)).Select(d => new List<NotificationDelivery> { d }));
        foreach (var group in groups)
        {
            var d0 = group[0];
            string? error = null;
            try
            {
                if (d0.Channel == NotificationChannel.Email)
                    await email.SendAsync(group.Select(d => d.Notification!).OrderBy(n => n.Id).ToList(), d0.EmailAddress!, d0.Digest, ct);
                else if (d0.Channel == NotificationChannel.Webhook)
                {
                    if (d0.WebhookId is not { } hid || !hooks.TryGetValue(hid, out var hook) || !hook.Active) error = "webhook dihapus atau nonaktif / webhook removed or inactive";
                    else await webhooks.SendAsync(d0.Notification!, hook, publicUrl, ct);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // An SMTP refusal keeps its reply code (451, 550, ...): MailKit's message holds only the server's text.
                var message = ex is MailKit.Net.Smtp.SmtpCommandException smtp ? $"SMTP {(int)smtp.StatusCode}: {ex.Message}" : ex.Message;
                error = message.Length > 900 ? message[..900] : message;
                log.LogWarning("Notification delivery {Ids} failed: {Error}", string.Join(",", group.Select(d => d.Id)), error);
            }
            var at = time.GetUtcNow();
            foreach (var d in group)
            {
                d.Attempts++;
                d.AttemptLog.Add(new NotificationAttempt { At = at, Success = error is null, Error = error, Instance = instance });
                d.LockedUntil = null;
                d.LockedBy = null;
                if (error is null) { d.Status = DeliveryStatus.Delivered; d.DeliveredAt = at; d.LastError = null; delivered++; }
                else if (NotificationSchedule.GivesUp(d.Attempts)) { d.Status = DeliveryStatus.Failed; d.LastError = error; failed++; }
                else { d.Status = DeliveryStatus.Pending; d.LastError = error; d.NextAttemptAt = at + NotificationSchedule.Backoff(d.Attempts); failed++; }
            }
            await db.SaveChangesAsync(ct); // recorded per group: a crash after this point never resends what is marked delivered
        }
        return (delivered, failed);
    }
}

/// <summary>Runs the sender on the scheduled-job loop (its database lease lets one instance run a pass at a time).</summary>
public sealed class NotificationSenderJob(NotificationSender sender, IConfiguration config) : IScheduledJob
{
    private readonly string _instance = config["Pantau:InstanceId"] ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

    public string Name => "notifications-sender";
    public TimeSpan Interval => TimeSpan.FromSeconds(config.GetValue("Pantau:Notifications:SendEverySeconds", 15));

    public async Task<string> RunAsync(IServiceProvider services, CancellationToken ct)
    {
        var (ok, failed) = await sender.SendDueAsync(_instance, ct);
        return $"delivered {ok}, failed {failed}";
    }
}
