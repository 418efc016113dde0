using System.Text.Json;
using Npgsql;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// Live updates across several instances on one PostgreSQL: <see cref="PublishAsync"/> delivers locally at once and sends
/// <c>NOTIFY pantau_live</c>; every instance LISTENs (<see cref="PgLiveListener"/>) and hands other instances' events to <see cref="LiveHub.Deliver"/>.
/// Enabled when <c>Database:Provider=Postgres</c>. Payloads are small hints (NOTIFY carries at most 8000 bytes).
/// </summary>
public sealed class PgLiveHub(DatabaseInfo db, ILogger<PgLiveHub> log) : LiveHub, IAsyncDisposable
{
    public const string Channel = "pantau_live";
    public string InstanceId { get; } = Guid.NewGuid().ToString("N");
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(db.ConnectionString);

    internal NpgsqlDataSource Source => _source;

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    public override async ValueTask PublishAsync(string topic, string type, object payload, CancellationToken ct = default)
    {
        var e = new LiveEvent(topic, type, JsonSerializer.Serialize(payload, JsonSerializerOptions.Web));
        Deliver(e);
        var message = JsonSerializer.Serialize(new Envelope(InstanceId, e.Topic, e.Type, e.Json));
        if (System.Text.Encoding.UTF8.GetByteCount(message) > 7900)
        {
            log.LogWarning("Live event on {Topic} too large for NOTIFY; delivered on this instance only", topic);
            return;
        }
        try
        {
            await using var cmd = _source.CreateCommand("SELECT pg_notify(@c, @m)");
            cmd.Parameters.AddWithValue("c", Channel);
            cmd.Parameters.AddWithValue("m", message);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            log.LogWarning(ex, "Live event on {Topic} not forwarded to other instances", topic); // hints only; clients re-read
        }
    }

    internal void OnNotification(string payload)
    {
        Envelope? env;
        try { env = JsonSerializer.Deserialize<Envelope>(payload); }
        catch (JsonException) { return; }
        if (env is null || env.Instance == InstanceId) return;
        Deliver(new LiveEvent(env.Topic, env.Type, env.Json));
    }

    private sealed record Envelope(string Instance, string Topic, string Type, string Json);
}

/// <summary>Keeps one connection LISTENing on <see cref="PgLiveHub.Channel"/>, reconnecting with back-off.</summary>
public sealed class PgLiveListener(PgLiveHub hub, ILogger<PgLiveListener> log) : BackgroundService
{
    /// <summary>Completed once the first LISTEN is active (tests wait for it).</summary>
    public TaskCompletionSource Listening { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var conn = await hub.Source.OpenConnectionAsync(stoppingToken);
                conn.Notification += (_, e) => hub.OnNotification(e.Payload);
                await using (var cmd = new NpgsqlCommand($"LISTEN {PgLiveHub.Channel}", conn)) await cmd.ExecuteNonQueryAsync(stoppingToken);
                Listening.TrySetResult();
                delay = TimeSpan.FromSeconds(1);
                while (!stoppingToken.IsCancellationRequested) await conn.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { break; }
            catch (Exception ex)
            {
                log.LogWarning(ex, "Live backplane connection lost; retrying in {Delay}", delay);
                try { await Task.Delay(delay, stoppingToken); } catch (OperationCanceledException) { break; }
                delay = TimeSpan.FromSeconds(Math.Min(30, delay.TotalSeconds * 2));
            }
        }
    }
}
