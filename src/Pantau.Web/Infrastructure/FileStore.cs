using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Pantau.Data;
using Pantau.Data.Files;

namespace Pantau.Web.Infrastructure;

/// <summary>What kinds of upload a form accepts.</summary>
[Flags]
public enum FileKinds
{
    Image = 1,
    Pdf = 2,
    Document = Pdf | 4,
    Any = Image | Document,
}

public sealed record FileSaveResult(StoredFile? File, string? Error)
{
    public bool Ok => File is not null;
}

/// <summary>
/// Uploads: the type is decided by the file's first bytes (JPEG, PNG, WebP, PDF, Office Open XML), never by its name or the client's
/// content type; the size is capped (<c>Pantau:MaxUploadBytes</c>, default 10 MB); the SHA-256 is recorded. Files live in the database.
/// </summary>
public interface IFileStore
{
    Task<FileSaveResult> SaveAsync(Stream content, string fileName, FileKinds allowed, CancellationToken ct = default);
    Task<FileSaveResult> SaveAsync(IFormFile file, FileKinds allowed, CancellationToken ct = default);
    Task<StoredFile?> GetAsync(Guid id, CancellationToken ct = default);
}

public sealed class FileStore(PantauDbContext db, TimeProvider time, IConfiguration config) : IFileStore
{
    public long MaxBytes => config.GetValue("Pantau:MaxUploadBytes", 10L * 1024 * 1024);

    public async Task<FileSaveResult> SaveAsync(IFormFile file, FileKinds allowed, CancellationToken ct = default)
    {
        if (file.Length > MaxBytes) return TooLarge();
        // Awaited inside the using: returning the task would dispose the form stream before a file larger than the
        // form reader's in-memory buffer (~64 KB) had been read, which answered every real photo with a 500.
        await using var s = file.OpenReadStream();
        return await SaveAsync(s, file.FileName, allowed, ct);
    }

    private FileSaveResult TooLarge() =>
        new(null, $"Berkas lebih dari {MaxBytes / (1024 * 1024)} MB / file is larger than {MaxBytes / (1024 * 1024)} MB.");

    public async Task<FileSaveResult> SaveAsync(Stream content, string fileName, FileKinds allowed, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes) return TooLarge();
        }
        var bytes = buffer.ToArray();
        if (bytes.Length == 0) return new(null, "Berkas kosong / the file is empty.");
        var (type, kind) = Sniff(bytes);
        if (type is null || (kind & allowed) == 0)
            return new(null, "Jenis berkas tidak diizinkan; gunakan " + Describe(allowed) + " / file type not allowed; use " + Describe(allowed) + ".");
        var file = new StoredFile
        {
            Id = Guid.NewGuid(),
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            ContentType = type,
            FileName = SafeName(fileName, type),
            Size = bytes.Length,
            Content = bytes,
            UploadedAt = time.GetUtcNow(),
            UploadedBy = db.Actor.Current.UserName,
        };
        db.Files.Add(file);
        await db.SaveChangesAsync(ct);
        return new(file, null);
    }

    public Task<StoredFile?> GetAsync(Guid id, CancellationToken ct = default) =>
        db.Files.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct);

    private static string Describe(FileKinds k) =>
        string.Join("/", new[] { (k & FileKinds.Image) != 0 ? "JPEG/PNG/WebP" : null, (k & FileKinds.Pdf) != 0 ? "PDF" : null, (k & FileKinds.Document & ~FileKinds.Pdf) != 0 ? "DOCX/XLSX" : null }.Where(x => x is not null));

    /// <summary>Content type from magic bytes; null when the format is not one we accept.</summary>
    public static (string? Type, FileKinds Kind) Sniff(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return ("image/jpeg", FileKinds.Image);
        if (b.Length >= 8 && b[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) return ("image/png", FileKinds.Image);
        if (b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return ("image/webp", FileKinds.Image);
        if (b.Length >= 5 && b[..5].SequenceEqual("%PDF-"u8)) return ("application/pdf", FileKinds.Pdf);
        if (b.Length >= 4 && b[..4].SequenceEqual(new byte[] { 0x50, 0x4B, 0x03, 0x04 })) return ("application/octet-stream", (FileKinds)4);
        return (null, 0);
    }

    private static string SafeName(string name, string type)
    {
        var baseName = Path.GetFileNameWithoutExtension(name ?? "");
        var clean = new string(baseName.Where(c => char.IsLetterOrDigit(c) || c is '-' or '_' or ' ').Take(80).ToArray()).Trim();
        if (clean.Length == 0) clean = "berkas";
        var ext = type switch { "image/jpeg" => ".jpg", "image/png" => ".png", "image/webp" => ".webp", "application/pdf" => ".pdf", _ => Path.GetExtension(name)?.ToLowerInvariant() is ".docx" or ".xlsx" ? Path.GetExtension(name)!.ToLowerInvariant() : ".bin" };
        return clean + ext;
    }

    /// <summary>Serves a stored file as a download: never rendered inline as HTML, never sniffed by the browser.</summary>
    public static IResult Download(StoredFile f, HttpContext http)
    {
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return TypedResults.File(f.Content, f.ContentType, f.FileName, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{f.Sha256}\""));
    }
}
