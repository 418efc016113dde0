using Microsoft.AspNetCore.Diagnostics;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// Errors in the form the caller reads: a browser gets a page in the UI's language that says what happened and where to go next
/// (<c>/galat/{status}</c>, re-executed in the same request so the status code stays); the API (<c>/api/...</c>) and any caller asking
/// for JSON keep RFC 7807 problem details.
/// </summary>
public static class ErrorPages
{
    public const string Path = "/galat";

    /// <summary>A request answered with a page, not JSON: outside <c>/api</c> and not asking for JSON.</summary>
    public static bool IsBrowser(HttpContext ctx)
    {
        if (ctx.Request.Path.StartsWithSegments("/api")) return false;
        var accept = ctx.Request.Headers.Accept.ToString();
        return !(accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) || accept.Contains("+json", StringComparison.OrdinalIgnoreCase))
            || accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The 4xx an exception stands for (malformed input, too large, bad antiforgery token), else 500.</summary>
    public static int StatusFor(Exception e) => e switch
    {
        BadHttpRequestException b => b.StatusCode,
        System.Text.Json.JsonException or InvalidDataException or Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException => StatusCodes.Status400BadRequest,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static WebApplication UsePantauErrors(this WebApplication app)
    {
        // Browsers: exceptions and bare error statuses are re-executed as the error page.
        app.UseWhen(IsBrowser, b =>
        {
            b.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = Path, StatusCodeSelector = StatusFor, AllowStatusCode404Response = true });
            b.UseStatusCodePagesWithReExecute(Path + "/{0}");
        });
        // The API: problem details (the IExceptionHandler for malformed requests, then the default problem for the rest).
        app.UseWhen(ctx => !IsBrowser(ctx), b =>
        {
            b.UseExceptionHandler();
            b.UseStatusCodePages();
        });
        return app;
    }
}
