using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;

namespace Pantau.Web.Infrastructure;

/// <summary>A change notice pushed to browsers. Payloads are small, non-private hints ("totals of X changed");
/// clients re-read the data through the normal (authorized) APIs.</summary>
public sealed record LiveEvent(string Topic, string Type, string Json);

/// <summary>Publish/subscribe for live updates. Browsers subscribe with server-sent events at <c>/api/live?topics=a,b</c>.</summary>
public interface ILiveUpdates
{
    ValueTask PublishAsync(string topic, string type, object payload, CancellationToken ct = default);
    IAsyncEnumerable<LiveEvent> SubscribeAsync(IReadOnlyCollection<string> topics, CancellationToken ct);
}

/// <summary>
/// In-process fan-out. On a single instance this is all there is; with several instances a backplane (PostgreSQL LISTEN/NOTIFY)
/// forwards every published event to <see cref="Deliver"/> on every instance.
/// </summary>
public class LiveHub : ILiveUpdates
{
    private readonly ConcurrentDictionary<Guid, (HashSet<string> Topics, Channel<LiveEvent> Channel)> _subscribers = new();

    private volatile Action<LiveEvent>[] _observers = [];

    public int SubscriberCount => _subscribers.Count;

    /// <summary>Server-side code that reacts to events (e.g. cache invalidation) without being a subscriber; called synchronously, must be quick.</summary>
    public void Observe(Action<LiveEvent> observer)
    {
        lock (_subscribers) _observers = [.. _observers, observer];
    }

    public virtual ValueTask PublishAsync(string topic, string type, object payload, CancellationToken ct = default)
    {
        Deliver(new LiveEvent(topic, type, JsonSerializer.Serialize(payload, JsonSerializerOptions.Web)));
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Hands an event to the local subscribers of its topic. A topic <c>name:region</c> also reaches the subscribers of <c>name</c>
    /// and of <c>name:ancestor</c> for every ancestor region: an incident in kab/kota <c>incidents:16.71</c> reaches a province
    /// dashboard subscribed to <c>incidents:16</c>, but not one of another province.
    /// </summary>
    public void Deliver(LiveEvent e)
    {
        foreach (var o in _observers) o(e);
        foreach (var (_, (topics, channel)) in _subscribers)
            if (Matches(topics, e.Topic))
                channel.Writer.TryWrite(e); // bounded, drop-oldest: a slow client never blocks publishers
    }

    /// <summary>
    /// The topic of <paramref name="name"/> events for <paramref name="region"/>, for event kinds published per kab/kota (incidents,
    /// anomalies): a province or kab/kota listens to itself (and so gets every kab/kota below it), a kecamatan or desa to its kab/kota,
    /// and the country (empty code, or a code that is not a region) to all.
    /// </summary>
    public static string KabKotaTopic(string name, string region) =>
        !Pantau.Core.Regions.RegionCode.TryGetLevel(region, out var level) ? name
        : RegionTopic(name, level <= Pantau.Core.Regions.RegionLevel.KabKota ? region
            : Pantau.Core.Regions.RegionCode.AncestorAt(region, Pantau.Core.Regions.RegionLevel.KabKota));

    /// <summary><c>name:region</c>, or <c>name</c> for the whole country (empty code).</summary>
    public static string RegionTopic(string name, string region) => region.Length == 0 ? name : name + ":" + region;

    /// <summary>Whether a subscription to <paramref name="topics"/> receives events of <paramref name="topic"/> (see <see cref="Deliver"/>).</summary>
    public static bool Matches(IReadOnlySet<string> topics, string topic)
    {
        if (topics.Contains(topic) || topics.Contains("*")) return true;
        var colon = topic.IndexOf(':');
        if (colon < 0) return false;
        if (topics.Contains(topic[..colon])) return true;
        for (var dot = topic.IndexOf('.', colon + 1); dot > 0; dot = topic.IndexOf('.', dot + 1))
            if (topics.Contains(topic[..dot])) return true;
        return false;
    }

    public async IAsyncEnumerable<LiveEvent> SubscribeAsync(IReadOnlyCollection<string> topics, [EnumeratorCancellation] CancellationToken ct)
    {
        var id = Guid.NewGuid();
        var channel = Channel.CreateBounded<LiveEvent>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        _subscribers[id] = (topics.ToHashSet(StringComparer.Ordinal), channel);
        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(ct)) yield return e;
        }
        finally
        {
            _subscribers.TryRemove(id, out _);
        }
    }
}

public sealed class LiveModule : IPantauModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        if (DatabaseSetup.Provider(configuration) == DatabaseProvider.Postgres && configuration.GetValue("Pantau:LiveBackplane", true))
        {
            services.AddSingleton<PgLiveHub>();
            services.AddSingleton<LiveHub>(sp => sp.GetRequiredService<PgLiveHub>());
            services.AddSingleton<PgLiveListener>();
            services.AddHostedService(sp => sp.GetRequiredService<PgLiveListener>());
        }
        else services.AddSingleton<LiveHub>();
        services.AddSingleton<ILiveUpdates>(sp => sp.GetRequiredService<LiveHub>());
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/live", (ILiveUpdates live, HttpContext http, string? topics) =>
        {
            var list = (topics ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(20).ToArray();
            if (list.Length == 0) return Results.Problem("Sebutkan topik / give at least one topic (?topics=tally,incidents).", statusCode: 400);
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            return TypedResults.ServerSentEvents(Stream(live, list, http.RequestAborted));
        }).RequireRateLimiting(RateLimits.PublicApi);
    }

    private static async IAsyncEnumerable<SseItem<string>> Stream(ILiveUpdates live, string[] topics, [EnumeratorCancellation] CancellationToken ct)
    {
        yield return new SseItem<string>("{}", "ready");
        await foreach (var e in live.SubscribeAsync(topics, ct))
            yield return new SseItem<string>(e.Json, e.Type);
    }
}
