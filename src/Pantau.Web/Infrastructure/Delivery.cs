using System.Collections.Concurrent;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.StaticFiles;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// Weight on the wire for a phone on a slow network (issue 24.10): text answers compressed (Brotli, else gzip; fastest level, as the
/// pages are rendered per request), static files with a version in their address (<c>asp-append-version</c>, <c>?v=</c>) cached for a
/// year, the others revalidated. Server-sent events (<c>/api/live</c>) are not compressed (they must reach the phone as they are sent).
/// Compressing pages over HTTPS is safe from BREACH-style guessing here: the one secret in a page, the antiforgery form token, is
/// encrypted afresh with a random IV for every response.
/// </summary>
public static class Delivery
{
    public static readonly string[] CompressedTypes =
    [
        "text/html", "text/css", "text/plain", "text/csv", "text/calendar", "text/javascript", "application/javascript",
        "application/json", "application/problem+json", "application/geo+json", "application/xml", "image/svg+xml",
    ];

    public static IServiceCollection AddPantauDelivery(this IServiceCollection services)
    {
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = CompressedTypes;
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return services;
    }

    private static readonly FileExtensionContentTypeProvider Types = NewTypes();

    private static FileExtensionContentTypeProvider NewTypes()
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".geojson"] = "application/geo+json";
        return types;
    }

    /// <summary>A year and immutable for an address with its version; else revalidated. The service worker is always checked.</summary>
    public static string CacheControlFor(HttpRequest request, string fileName) =>
        request.Query.ContainsKey("v") && !fileName.EndsWith("sw.js", StringComparison.Ordinal) ? "public, max-age=31536000, immutable" : "no-cache";

    public static IApplicationBuilder UsePantauStaticFiles(this IApplicationBuilder app)
    {
        var compressed = new StaticCompression(app.ApplicationServices.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider);
        app.Use((ctx, next) => compressed.InvokeAsync(ctx, () => next(ctx)));
        return app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = Types,
            OnPrepareResponse = ctx => ctx.Context.Response.Headers.CacheControl = CacheControlFor(ctx.Context.Request, ctx.File.Name),
        });
    }

    /// <summary>
    /// Static text files (scripts, styles, SVG, GeoJSON) compressed once at the smallest size (Brotli quality 11, gzip level 9) and kept
    /// in memory, instead of at the fastest level on every request: the vendored libraries are the heaviest part of a first visit
    /// (Chart.js, Leaflet), and a file is compressed once per start, not per reader.
    /// </summary>
    private sealed class StaticCompression(Microsoft.Extensions.FileProviders.IFileProvider files)
    {
        private static readonly HashSet<string> Extensions = [".js", ".css", ".svg", ".json", ".geojson", ".txt", ".html"];
        private readonly ConcurrentDictionary<(string Path, string Encoding, DateTimeOffset Modified), Lazy<(byte[] Bytes, string ETag)?>> _cache = new();

        public async Task InvokeAsync(HttpContext ctx, Func<Task> next)
        {
            var req = ctx.Request;
            var path = req.Path.Value;
            if (!(HttpMethods.IsGet(req.Method) || HttpMethods.IsHead(req.Method)) || path is null || !Extensions.Contains(Path.GetExtension(path))
                || !Types.TryGetContentType(path, out var contentType)) { await next(); return; }
            var accept = req.Headers.AcceptEncoding.ToString();
            var encoding = accept.Contains("br", StringComparison.OrdinalIgnoreCase) ? "br" : accept.Contains("gzip", StringComparison.OrdinalIgnoreCase) ? "gzip" : null;
            var file = files.GetFileInfo(path);
            if (encoding is null || !file.Exists || file.IsDirectory || file.PhysicalPath is null) { await next(); return; }
            var entry = _cache.GetOrAdd((path, encoding, file.LastModified), k => new Lazy<(byte[], string)?>(() => Compress(file.PhysicalPath, k.Encoding))).Value;
            if (entry is not { } e) { await next(); return; } // smaller as it is
            var res = ctx.Response;
            res.Headers.ContentEncoding = encoding;
            res.Headers.Vary = "Accept-Encoding";
            res.Headers.CacheControl = CacheControlFor(req, file.Name);
            res.Headers.ETag = e.ETag;
            res.Headers.LastModified = file.LastModified.ToString("R");
            if (req.Headers.IfNoneMatch.ToString() is { Length: > 0 } inm && inm.Split(',').Any(t => t.Trim() == e.ETag))
            {
                res.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            res.ContentType = contentType;
            res.ContentLength = e.Bytes.Length;
            if (HttpMethods.IsGet(req.Method)) await res.Body.WriteAsync(e.Bytes, ctx.RequestAborted);
        }

        private static (byte[], string)? Compress(string physicalPath, string encoding)
        {
            var raw = File.ReadAllBytes(physicalPath);
            using var output = new MemoryStream();
            using (Stream z = encoding == "br" ? new BrotliStream(output, CompressionLevel.SmallestSize, leaveOpen: true) : new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
                z.Write(raw);
            if (output.Length >= raw.Length) return null;
            return (output.ToArray(), "\"" + Convert.ToHexStringLower(SHA256.HashData(raw))[..24] + "-" + encoding + "\"");
        }
    }
}
