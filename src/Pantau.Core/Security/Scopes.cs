using Pantau.Core.Regions;

namespace Pantau.Core.Security;

/// <summary>
/// The scope rule of every account. A scope is empty (national), a region code (<c>16</c>, <c>16.71</c>, <c>16.71.01</c>,
/// <c>16.71.01.1001</c>: that region and everything beneath it, its TPS included) or a TPS code (<c>1671011001001</c>: that TPS
/// only; KPPS accounts). <c>-</c> (the anonymous public) covers nothing.
/// </summary>
public static class Scopes
{
    /// <summary>True when <paramref name="scope"/> is a KPU TPS code (13 digits: desa code and TPS number).</summary>
    public static bool IsTps(string? scope) => scope is { Length: 13 } && RegionCode.TryParseTpsCode(scope, out _, out _);

    /// <summary>True when <paramref name="scope"/> is a valid scope to give an account: a region code or a TPS code (empty: national).</summary>
    public static bool IsValid(string? scope) => scope is not null && (scope.Length == 0 || RegionCode.IsValid(scope) || IsTps(scope));

    /// <summary>
    /// Whether an actor with <paramref name="scope"/> may act on <paramref name="code"/>, a region code or a TPS code: a region scope
    /// covers its subtree and every TPS of its desa; a TPS scope covers that TPS and nothing else (not its desa, not the TPS next door).
    /// </summary>
    public static bool Covers(string scope, string code)
    {
        if (scope.Length == 0) return true;
        if (IsTps(scope)) return string.Equals(code, scope, StringComparison.Ordinal);
        if (IsTps(code) && RegionCode.TryParseTpsCode(code, out var desa, out _)) return RegionCode.IsWithin(desa, scope);
        return RegionCode.IsWithin(code, scope);
    }

    /// <summary>The region lists and dashboards open on: the desa of a TPS scope, else the scope itself.</summary>
    public static string HomeRegion(string scope) =>
        IsTps(scope) && RegionCode.TryParseTpsCode(scope, out var desa, out _) ? desa : scope;

    /// <summary>
    /// Region-level reads: a TPS scope also reads its own desa (readiness, notices, lists of the desa); a TPS code is read under
    /// <see cref="Covers"/> (a TPS-scoped actor reads only its own TPS's private data).
    /// </summary>
    public static bool Reads(string scope, string code) =>
        Covers(scope, code) || (IsTps(scope) && !IsTps(code) && string.Equals(code, HomeRegion(scope), StringComparison.Ordinal));

    /// <summary>
    /// SQL-friendly prefixes of the account scopes inside <paramref name="scope"/>: region scopes start with <c>Dotted</c> (or equal
    /// the scope) and TPS scopes, which have no dots, start with <c>Numeric</c> (the scope's digits).
    /// </summary>
    public static (string Dotted, string Numeric) Prefixes(string scope) => (scope + ".", RegionCode.ToNumeric(scope));
}
