using System.Globalization;
using System.Text;
using Pantau.Core.Tally;

namespace Pantau.Core.Security;

/// <summary>
/// The audit trail's own hash chain: every audit row carries a sequence number (1, 2, 3, ... without gaps), the previous row's
/// hash and its own hash, <c>hash(n) = SHA-256(hash(n-1) || UTF-8(canonical row n))</c> with 32 zero bytes before row 1 (the
/// same construction as the tally log, <see cref="HashChain"/>). Whoever drops the append-only triggers and deletes or alters a
/// row breaks the chain at that row, and <c>verify</c> names it.
/// </summary>
public static class AuditChain
{
    public static readonly string GenesisHex = HashChain.GenesisHex;

    /// <summary>
    /// Audit times are kept to the microsecond (what PostgreSQL's <c>timestamptz</c> holds), so that the hash of a row read back from
    /// either database equals the hash computed when it was written.
    /// </summary>
    public static DateTimeOffset Normalize(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.UtcTicks - utc.UtcTicks % 10, TimeSpan.Zero);
    }

    /// <summary>
    /// Canonical encoding (version 1): <c>A1|seq|utcMicroseconds|</c> then each text field as <c>length:value</c> (length in UTF-16
    /// code units, <c>-</c> for null), separated by <c>|</c>: user id, user name, remote IP, action, entity type, entity key, before,
    /// after. Length prefixes make the encoding unambiguous whatever the fields contain.
    /// </summary>
    public static string Canonical(long seq, DateTimeOffset at, string userId, string userName, string? remoteIp, string action,
        string entityType, string entityKey, string? before, string? after)
    {
        var sb = new StringBuilder(64 + (before?.Length ?? 0) + (after?.Length ?? 0));
        sb.Append("A1|").Append(seq.ToString(CultureInfo.InvariantCulture)).Append('|')
          .Append((at.UtcTicks / 10).ToString(CultureInfo.InvariantCulture));
        foreach (var f in (ReadOnlySpan<string?>)[userId, userName, remoteIp, action, entityType, entityKey, before, after])
        {
            sb.Append('|');
            if (f is null) sb.Append('-');
            else sb.Append(f.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(f);
        }
        return sb.ToString();
    }

    /// <summary>The hash of a row given the previous row's hash (hex) and the row's canonical encoding.</summary>
    public static string Next(string previousHex, string canonicalRow) => HashChain.NextHex(previousHex, canonicalRow);

    /// <summary>One stored row as the verifier reads it.</summary>
    public readonly record struct Row(long Seq, DateTimeOffset At, string UserId, string UserName, string? RemoteIp, string Action,
        string EntityType, string EntityKey, string? Before, string? After, string? PrevHash, string? Hash);

    /// <summary>
    /// Checks rows given in sequence order; returns null when they form an unbroken chain from the genesis, else a description naming
    /// the first broken row (a gap in the sequence is a deleted row, a wrong hash an altered one).
    /// </summary>
    public static string? Check(IEnumerable<Row> rowsInSeqOrder)
    {
        var prev = GenesisHex;
        long expected = 1;
        foreach (var r in rowsInSeqOrder)
        {
            if (r.Seq != expected)
                return r.Seq > expected
                    ? $"audit row {expected} is missing (found seq {r.Seq}) — a row was deleted"
                    : $"audit row seq {r.Seq} appears twice";
            if (!string.Equals(r.PrevHash, prev, StringComparison.Ordinal))
                return $"audit row {r.Seq}: previous hash {r.PrevHash} does not match the chain ({prev})";
            var hash = Next(prev, Canonical(r.Seq, r.At, r.UserId, r.UserName, r.RemoteIp, r.Action, r.EntityType, r.EntityKey, r.Before, r.After));
            if (!string.Equals(r.Hash, hash, StringComparison.Ordinal))
                return $"audit row {r.Seq}: hash mismatch (stored {r.Hash}, computed {hash}) — the row was altered";
            prev = hash;
            expected++;
        }
        return null;
    }
}
