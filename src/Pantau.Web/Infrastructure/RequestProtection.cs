using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// Request-level protections: forwarded headers from known proxies, CSRF for cookie-authenticated API writes,
/// a body-size cap for JSON APIs, and problem details (never 500) for malformed requests.
/// </summary>
public static class RequestProtection
{
    /// <summary>Header carrying the antiforgery token on cookie-authenticated API writes (GET <c>/api/account/csrf</c> returns it).</summary>
    public const string CsrfHeader = "X-CSRF-TOKEN";

    public static IServiceCollection AddPantauRequestProtection(this IServiceCollection services, IConfiguration config)
    {
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Several instances must share the data-protection keys (cookies, antiforgery): Pantau:KeysDir on a shared volume.
        if (config["Pantau:KeysDir"] is { Length: > 0 } keys)
            services.AddDataProtection().SetApplicationName("Pantau").PersistKeysToFileSystem(new DirectoryInfo(keys));
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.ForwardLimit = 1;
            var proxies = (config["Pantau:KnownProxies"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (proxies.Length == 0) return; // default: only a proxy on the loopback interface is trusted
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var p in proxies)
            {
                if (p.Contains('/')) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(p));
                else o.KnownProxies.Add(IPAddress.Parse(p));
            }
        });
        return services;
    }

    /// <summary>Largest JSON body an API accepts (<c>Pantau:MaxJsonBytes</c>, default 1 MB); larger bodies get 413.</summary>
    public static long MaxJsonBytes(IConfiguration config) => config.GetValue("Pantau:MaxJsonBytes", 1024L * 1024);

    /// <summary>Largest body of the bulk intake <c>/api/tally/batch</c> (<c>Pantau:MaxBatchBytes</c>, default 48 MB: 50,000 JSON sheets
    /// of the API shape, or a whole kab/kota as CSV, in one request).</summary>
    public static long MaxBatchBytes(IConfiguration config) => Math.Min(config.GetValue("Pantau:MaxBatchBytes", 48L * 1024 * 1024), MaxRequestBytes(config));

    /// <summary>
    /// Cookie-authenticated state-changing <c>/api</c> requests must carry the antiforgery token in <see cref="CsrfHeader"/>
    /// (SameSite=Strict cookies are the first line; this is the second). Bearer-token requests carry no ambient authority and are exempt.
    /// </summary>
    public static IApplicationBuilder UseApiCsrfProtection(this IApplicationBuilder app) => app.Use(async (ctx, next) =>
    {
        var req = ctx.Request;
        if (req.Path.StartsWithSegments("/api") && !HttpMethods.IsGet(req.Method) && !HttpMethods.IsHead(req.Method)
            && !HttpMethods.IsOptions(req.Method) && !HttpMethods.IsTrace(req.Method)
            && !req.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && ctx.User.Identity?.IsAuthenticated == true)
        {
            var antiforgery = ctx.RequestServices.GetRequiredService<IAntiforgery>();
            try
            {
                await antiforgery.ValidateRequestAsync(ctx);
            }
            catch (AntiforgeryValidationException)
            {
                await TypedResults.Problem($"Token CSRF tidak ada atau salah; kirim header {CsrfHeader} / missing or invalid CSRF token; send the {CsrfHeader} header.",
                    statusCode: StatusCodes.Status403Forbidden, title: "CSRF").ExecuteAsync(ctx);
                return;
            }
        }
        await next(ctx);
    });

    /// <summary>Largest request body (<c>Pantau:MaxRequestBytes</c>, default 64 MB; also Kestrel's limit).</summary>
    public static long MaxRequestBytes(IConfiguration config) => config.GetValue("Pantau:MaxRequestBytes", 64L * 1024 * 1024);

    /// <summary>
    /// Answers 413 at once when a declared body exceeds the request limit (Kestrel enforces it for streamed bodies), and caps JSON bodies
    /// of API requests (declared length and streamed length).
    /// </summary>
    public static IApplicationBuilder UseJsonBodyLimit(this IApplicationBuilder app)
    {
        var config = app.ApplicationServices.GetRequiredService<IConfiguration>();
        var max = MaxJsonBytes(config);
        var maxBatch = MaxBatchBytes(config);
        var maxRequest = MaxRequestBytes(config);
        return app.Use(async (ctx, next) =>
        {
            var req = ctx.Request;
            if (req.ContentLength > maxRequest)
            {
                await TypedResults.Problem($"Isi permintaan terlalu besar (maks {maxRequest} byte) / request body too large (max {maxRequest} bytes).",
                    statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large").ExecuteAsync(ctx);
                return;
            }
            if (req.Path.StartsWithSegments("/api") && !req.HasFormContentType)
            {
                var limit = req.Path.Equals("/api/tally/batch", StringComparison.OrdinalIgnoreCase) ? maxBatch : max;
                if (req.ContentLength > limit)
                {
                    await TypedResults.Problem($"Isi permintaan terlalu besar (maks {limit} byte) / request body too large (max {limit} bytes).",
                        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large").ExecuteAsync(ctx);
                    return;
                }
                if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } f) f.MaxRequestBodySize = limit;
            }
            await next(ctx);
        });
    }
}

/// <summary>Malformed requests (bad JSON, wrong types, too large) become RFC 7807 problems with their 4xx status, never a 500.</summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (ErrorPages.IsBrowser(http)) return false; // a browser gets the error page (ErrorPages) with the same status
        if (exception is Pantau.Core.Text.TextRejectedException text && !http.Response.HasStarted)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = 400, Title = text.Code, Detail = text.Message, Extensions = { ["code"] = text.Code, ["field"] = text.Field } },
                Exception = exception,
            });
        }
        var status = exception switch
        {
            BadHttpRequestException b => b.StatusCode,
            System.Text.Json.JsonException => StatusCodes.Status400BadRequest,
            Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException => StatusCodes.Status400BadRequest,
            InvalidDataException => StatusCodes.Status400BadRequest,
            // A multipart body cut short (the form reader's "Unexpected end of Stream"): the client's fault, nothing was stored.
            IOException when http.Request.HasFormContentType && !http.RequestAborted.IsCancellationRequested => StatusCodes.Status400BadRequest,
            _ => 0,
        };
        if (status is < 400 or >= 500 || http.Response.HasStarted) return false;
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = status,
                Title = status == 413 ? "Payload too large" : "Bad request",
                Detail = status == 413
                    ? "Isi permintaan terlalu besar / request body too large."
                    : "Permintaan tidak valid (format atau tipe data salah) / malformed request (bad format or wrong data types).",
            },
            Exception = exception,
        });
    }
}

/// <summary>Marks an anonymous write endpoint that is deliberately public (a public form), for the endpoint security tests.</summary>
public sealed record PublicFormMetadata(string Reason);

public static class PublicEndpointExtensions
{
    /// <summary>A deliberately public write endpoint (e.g. the public incident report): anonymous, rate-limited as a public form.</summary>
    public static TBuilder AllowPublicForm<TBuilder>(this TBuilder builder, string reason) where TBuilder : IEndpointConventionBuilder =>
        builder.AllowAnonymous().WithMetadata(new PublicFormMetadata(reason)).RequireRateLimiting(RateLimits.PublicForm);
}
