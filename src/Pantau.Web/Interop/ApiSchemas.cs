namespace Pantau.Web.Interop;

/// <summary>
/// The JSON shape of one C.Hasil sheet as the intake reads it (<c>SheetParser.FromJson</c> reads the raw body; this type only describes it
/// in the OpenAPI document, so that a generated client can build the body). <c>votes</c> is keyed by the paslon's ballot number.
/// </summary>
public sealed record SheetBody(
    string Contest, string Tps, Dictionary<string, long> Votes,
    long SuaraSah, long SuaraTidakSah,
    long DptL, long DptP, long Dpt, long DpphL, long DpphP, long Dpph, long DptbL, long DptbP, long Dptb,
    long UsersDptL, long UsersDptP, long UsersDpt, long UsersDpphL, long UsersDpphP, long UsersDpph, long UsersDptbL, long UsersDptbP, long UsersDptb,
    long DisabledL, long DisabledP, long Disabled,
    long BallotsReceived, long BallotsUsed, long BallotsDamaged, long BallotsUnused,
    string? IdempotencyKey = null, string? Reason = null);
