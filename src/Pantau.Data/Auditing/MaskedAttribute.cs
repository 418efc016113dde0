namespace Pantau.Data.Auditing;

/// <summary>Why a property is kept out of the audit trail.</summary>
public enum MaskReason
{
    /// <summary>Personal data of a person who is not acting as an official (a citizen reporter, a reported civil servant) or a personal contact.</summary>
    PersonalData = 1,
    /// <summary>A credential or a hash of one (password hashes, token hashes, a reporter's tracking secret).</summary>
    Secret = 2,
}

/// <summary>
/// Keeps a property's value out of the audit trail. The audit rows are append-only and kept for good, so they must not become a second,
/// undeletable copy of personal data or secrets: the snapshot records <c>"***"</c> instead of the value (and <c>null</c> when there is none),
/// so an insert still shows which fields were given and an update still shows which fields changed, never what they held.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaskedAttribute(MaskReason reason = MaskReason.PersonalData) : Attribute
{
    public MaskReason Reason { get; } = reason;

    /// <summary>What the audit snapshot shows in place of a masked value.</summary>
    public const string Placeholder = "***";
}
