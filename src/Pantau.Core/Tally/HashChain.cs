using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pantau.Core.Tally;

/// <summary>What a log entry records.</summary>
public static class LogKinds
{
    public const string Submit = "SUBMIT";
    public const string Correct = "CORRECT";
    public const string Adjudicate = "ADJUDICATE";
}

/// <summary>
/// One entry of the tamper-evident tally log. <see cref="Counted"/> says whether, after this entry, <see cref="Sheet"/> is the
/// sheet that counts for its TPS and contest (replacing any earlier one); entries that are not counted (flagged, conflicting)
/// leave the totals unchanged. Replaying the counted entries in order gives every total.
/// </summary>
public sealed record LogEntry(long Seq, DateTimeOffset At, string Kind, string Status, bool Counted, int VersionNo, string Submitter,
    string? PhotoSha256, CHasilSheet Sheet)
{
    /// <summary>
    /// Canonical encoding (version 1): <c>L1|seq|utcTicks|kind|status|counted(0/1)|versionNo|submitter|photoSha256 or -|sheet canonical</c>.
    /// The submitter is escaped so that it cannot contain <c>|</c>.
    /// </summary>
    public string Encode() => Encode(null);

    /// <param name="sheetCanonical"><see cref="Sheet"/>'s canonical encoding when the caller has it already (it must be that).</param>
    public string Encode(string? sheetCanonical) => string.Create(CultureInfo.InvariantCulture,
        $"L1|{Seq}|{At.UtcTicks}|{Kind}|{Status}|{(Counted ? 1 : 0)}|{VersionNo}|{Escape(Submitter)}|{PhotoSha256 ?? "-"}|{sheetCanonical ?? Sheet.Canonical()}");

    public static LogEntry Parse(string text)
    {
        var p = text.Split('|', 10);
        if (p.Length != 10 || p[0] != "L1") throw new FormatException("Not a tally log entry.");
        return new LogEntry(long.Parse(p[1], CultureInfo.InvariantCulture), new DateTimeOffset(long.Parse(p[2], CultureInfo.InvariantCulture), TimeSpan.Zero),
            p[3], p[4], p[5] == "1", int.Parse(p[6], CultureInfo.InvariantCulture), Uri.UnescapeDataString(p[7]), p[8] == "-" ? null : p[8],
            CHasilSheet.ParseCanonical(p[9]));
    }

    private static string Escape(string s) => Uri.EscapeDataString(s);
}

/// <summary>The hash chain: <c>hash(n) = SHA-256(hash(n-1) || UTF-8(entry n))</c>, with 32 zero bytes before the first entry.</summary>
public static class HashChain
{
    public static readonly byte[] Genesis = new byte[32];
    public static readonly string GenesisHex = Convert.ToHexStringLower(Genesis);

    public static byte[] Next(ReadOnlySpan<byte> previous, string canonicalEntry)
    {
        var max = Encoding.UTF8.GetMaxByteCount(canonicalEntry.Length) + 32;
        var buffer = max <= 2048 ? stackalloc byte[max] : new byte[max];
        previous.CopyTo(buffer);
        var n = Encoding.UTF8.GetBytes(canonicalEntry, buffer[32..]);
        var hash = new byte[32];
        SHA256.HashData(buffer[..(32 + n)], hash);
        return hash;
    }

    public static string NextHex(string previousHex, string canonicalEntry) =>
        Convert.ToHexStringLower(Next(Convert.FromHexString(previousHex), canonicalEntry));
}

/// <summary>Signs and checks checkpoints (<c>seq</c> and head hash) with ECDSA P-256 / SHA-256 (IEEE P1363 signature, base64).</summary>
public sealed class CheckpointSigner(ECDsa key)
{
    public static string Message(long seq, string headHash) => string.Create(CultureInfo.InvariantCulture, $"pantau-tally-checkpoint|{seq}|{headHash}");

    public string Sign(long seq, string headHash) =>
        Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(Message(seq, headHash)), HashAlgorithmName.SHA256));

    public bool Verify(long seq, string headHash, string signature)
    {
        try
        {
            return key.VerifyData(Encoding.UTF8.GetBytes(Message(seq, headHash)), Convert.FromBase64String(signature), HashAlgorithmName.SHA256);
        }
        catch (FormatException) { return false; }
    }

    public string PublicKeyPem => key.ExportSubjectPublicKeyInfoPem();

    /// <summary>Signs a checkpoint body as a C2SP signed note by <paramref name="name"/> (see <see cref="SignedNote"/>).</summary>
    public string SignNote(string body, string name) => SignedNote.Sign(body, name, key);

    /// <summary>First 16 hex digits of the SHA-256 of the public key (SubjectPublicKeyInfo DER).</summary>
    public string KeyId => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
}
