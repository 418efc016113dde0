using Pantau.Core.Security;

namespace Pantau.Web.Infrastructure;

/// <summary>A request the endpoint security test sends: method, URL and an optional JSON body (or an upload).</summary>
public sealed record ProbeRequest(string Method, string Url, object? JsonBody = null)
{
    /// <summary>When set, the request is sent as <c>multipart/form-data</c> carrying this file instead of a JSON body.</summary>
    public ProbeUpload? Upload { get; init; }
}

/// <summary>A file a probe uploads: form field, file name and content (the type is sniffed from the content).</summary>
public sealed record ProbeUpload(string Field, string FileName, byte[] Content)
{
    public static ProbeUpload Jpeg(string field) => new(field, "probe.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0]);
    public static ProbeUpload Pdf(string field) => new(field, "probe.pdf", "%PDF-1.4\n%probe\n"u8.ToArray());
}

/// <summary>
/// How to check an endpoint's region scope: an actor of <see cref="Role"/> bound to <see cref="ActorScope"/> sends
/// <see cref="InScope"/> (must not be refused with 403) and <see cref="OutOfScope"/> (must be refused with 403).
/// The factories may create fixtures through the given services (a request scope of the app under test).
/// Attach with <c>.WithScopeProbe(...)</c>; the endpoint matrix test (tests/Pantau.Web.Tests/SecurityMatrixTests.cs) runs every probe.
/// </summary>
public sealed record ScopeProbe(Role Role, string ActorScope,
    Func<IServiceProvider, Task<ProbeRequest>> InScope, Func<IServiceProvider, Task<ProbeRequest>> OutOfScope)
{
    /// <summary>
    /// For endpoints whose target is not inside a region (the national schedule, a scan of every region): the out-of-scope request is sent
    /// by an actor of the same role bound to this (too narrow) scope instead of <see cref="ActorScope"/>.
    /// </summary>
    public string? OutOfScopeActorScope { get; init; }
}

/// <summary>Declares that an endpoint acts on no region (e.g. changing one's own password), so it needs no scope probe.</summary>
public sealed record NoRegionScopeMetadata(string Reason);

public static class ScopeProbeExtensions
{
    public static TBuilder WithScopeProbe<TBuilder>(this TBuilder builder, ScopeProbe probe) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(probe);

    /// <summary>Shorthand for probes that need no fixtures.</summary>
    public static TBuilder WithScopeProbe<TBuilder>(this TBuilder builder, Role role, string actorScope, ProbeRequest inScope, ProbeRequest outOfScope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ScopeProbe(role, actorScope, _ => Task.FromResult(inScope), _ => Task.FromResult(outOfScope)));

    public static TBuilder WithoutRegionScope<TBuilder>(this TBuilder builder, string reason) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new NoRegionScopeMetadata(reason));
}
