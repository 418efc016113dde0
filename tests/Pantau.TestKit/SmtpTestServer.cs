using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;

namespace Pantau.TestKit;

/// <summary>
/// A small SMTP server over real TCP on a loopback port (RFC 5321 subset: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT), for tests of
/// e-mail delivery through a real SMTP client. <see cref="FailNext"/> answers the next N transactions with a temporary failure (451).
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private int _failNext;

    public int Port { get; }
    public ConcurrentQueue<ReceivedMail> Messages { get; } = new();
    public int Transactions;

    /// <summary>Makes the next <paramref name="n"/> MAIL commands fail with 451 (a server that is down for a while).</summary>
    public void FailNext(int n) => Interlocked.Exchange(ref _failNext, n);

    /// <summary>Always fail from now on (-1) or stop failing (0).</summary>
    public bool AlwaysFail { get; set; }

    public SmtpTestServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accept = Task.Run(AcceptLoop);
    }

    public IDictionary<string, string?> Settings(string publicUrl = "http://pantau.test") => new Dictionary<string, string?>
    {
        ["Pantau:Smtp:Host"] = "127.0.0.1", ["Pantau:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Pantau:Smtp:Security"] = "None", ["Pantau:Smtp:From"] = "Pantau <pantau@pantau.test>", ["Pantau:PublicUrl"] = publicUrl,
    };

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient c;
            try { c = await _listener.AcceptTcpClientAsync(_stop.Token); } catch { return; }
            _ = Task.Run(() => Serve(c));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 smtp.test ESMTP ready");
        string? from = null;
        var to = new List<string>();
        try
        {
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var cmd = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (cmd)
                {
                    case "EHLO": await writer.WriteLineAsync("250-smtp.test\r\n250 SIZE 10485760"); break;
                    case "HELO": await writer.WriteLineAsync("250 smtp.test"); break;
                    case "MAIL":
                        Interlocked.Increment(ref Transactions);
                        if (AlwaysFail || Interlocked.Decrement(ref _failNext) >= 0) { await writer.WriteLineAsync("451 4.3.0 Mailbox temporarily unavailable"); break; }
                        from = line[(line.IndexOf(':') + 1)..].Trim(' ', '<', '>'); to.Clear();
                        await writer.WriteLineAsync("250 2.1.0 OK"); break;
                    case "RCPT": to.Add(line[(line.IndexOf(':') + 1)..].Trim(' ', '<', '>')); await writer.WriteLineAsync("250 2.1.5 OK"); break;
                    case "DATA":
                        await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                        var sb = new StringBuilder();
                        while (await reader.ReadLineAsync(_stop.Token) is { } l && l != ".")
                            sb.Append(l.StartsWith("..", StringComparison.Ordinal) ? l[1..] : l).Append("\r\n");
                        var mime = MimeMessage.Load(new MemoryStream(Encoding.ASCII.GetBytes(sb.ToString())));
                        Messages.Enqueue(new ReceivedMail(from ?? "", [.. to], mime.Subject ?? "", mime.TextBody ?? "", mime.MessageId ?? "",
                            mime.Headers["X-Pantau-Notification-Id"] ?? ""));
                        await writer.WriteLineAsync("250 2.0.0 queued"); break;
                    case "RSET": from = null; to.Clear(); await writer.WriteLineAsync("250 OK"); break;
                    case "NOOP": await writer.WriteLineAsync("250 OK"); break;
                    case "QUIT": await writer.WriteLineAsync("221 Bye"); return;
                    default: await writer.WriteLineAsync("502 5.5.2 Command not implemented"); break;
                }
            }
        }
        catch (Exception) { /* client went away */ }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _accept; } catch { }
        _stop.Dispose();
    }
}

public sealed record ReceivedMail(string From, string[] To, string Subject, string Body, string MessageId, string NotificationIds);

/// <summary>A real HTTP receiver for webhooks (Kestrel on a loopback port) that deduplicates by notification id, as a gateway should.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly Microsoft.AspNetCore.Builder.WebApplication _app;
    public string Url { get; }
    /// <summary>Every request received (duplicates included).</summary>
    public ConcurrentQueue<(string Id, string Signature, byte[] Body)> Requests { get; } = new();
    /// <summary>Notification ids seen, each once.</summary>
    public ConcurrentDictionary<string, byte[]> Unique { get; } = new();
    public int FailNext;

    private WebhookReceiver(Microsoft.AspNetCore.Builder.WebApplication app, string url) { _app = app; Url = url; }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var b = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        b.WebHost.UseUrls("http://127.0.0.1:0");
        b.Logging.ClearProviders();
        var app = b.Build();
        WebhookReceiver? self = null;
        app.MapPost("/hook", async (Microsoft.AspNetCore.Http.HttpContext http) =>
        {
            using var ms = new MemoryStream();
            await http.Request.Body.CopyToAsync(ms);
            var id = http.Request.Headers["X-Pantau-Notification-Id"].ToString();
            self!.Requests.Enqueue((id, http.Request.Headers["X-Pantau-Signature"].ToString(), ms.ToArray()));
            if (Interlocked.Decrement(ref self.FailNext) >= 0) return Microsoft.AspNetCore.Http.Results.StatusCode(503);
            self.Unique.TryAdd(id, ms.ToArray());
            return Microsoft.AspNetCore.Http.Results.Ok();
        });
        await app.StartAsync();
        var url = app.Urls.First();
        self = new WebhookReceiver(app, url + "/hook");
        return self;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
