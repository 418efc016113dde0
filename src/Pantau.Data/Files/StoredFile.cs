namespace Pantau.Data.Files;

/// <summary>An uploaded file (form photo, evidence, signed agreement), kept in the database so every instance can serve it.</summary>
public class StoredFile
{
    public Guid Id { get; set; }
    public required string Sha256 { get; set; }
    /// <summary>Content type decided by sniffing the bytes, never by the client's claim.</summary>
    public required string ContentType { get; set; }
    public required string FileName { get; set; }
    public long Size { get; set; }
    public required byte[] Content { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    public required string UploadedBy { get; set; }
}
