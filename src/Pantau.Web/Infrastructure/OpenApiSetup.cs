using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// The OpenAPI 3.1 document of the JSON API (<c>/openapi/v1.json</c>, reference page at <c>/openapi/</c>).
/// Success responses and schemas come from the handlers' typed results (<c>Results&lt;Ok&lt;T&gt;, ProblemHttpResult, ...&gt;</c>);
/// the problem responses are added here from what the endpoint is (see <see cref="ProblemResponses"/>), so an endpoint added later
/// is described without extra work. An endpoint that answers a further status (409, 413, 415 ...) declares it with
/// <c>.ProducesProblem(status)</c>; tests/Pantau.Web.Tests/OpenApiTests.cs checks every status the tests see is documented.
/// </summary>
public static class OpenApiSetup
{
    public const string CookieScheme = "cookie";
    public const string CsrfScheme = "csrf";
    public const string BearerScheme = "bearer";

    public static IServiceCollection AddPantauOpenApi(this IServiceCollection services) => services.AddOpenApi("v1", o =>
    {
        o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
        o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
        o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info = new OpenApiInfo
            {
                Title = "Pantau API",
                Version = "v1",
                Description = "JSON API of Pantau (Desk Pilkada / Desk Pemilu). Errors are RFC 7807 problem details (application/problem+json) "
                    + "with a stable title. Authenticate either with the sign-in cookie (browser; every write then also needs the X-CSRF-TOKEN "
                    + "header, the value of the pantau.csrf cookie's token from GET /api/account/csrf) or with an API token: "
                    + "Authorization: Bearer pt_... (issued by an admin; no CSRF header needed).",
            };
            doc.Components ??= new OpenApiComponents();
            doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            doc.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Cookie, Name = "pantau.auth",
                Description = "Sign-in cookie set by the sign-in page (/masuk).",
            };
            doc.Components.SecuritySchemes[CsrfScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "X-CSRF-TOKEN",
                Description = "Anti-forgery token, required with the cookie on every write (POST/PUT/PATCH/DELETE).",
            };
            doc.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "pt_<48 hex digits>",
                Description = "API token for importers and apps (Authorization: Bearer pt_...).",
            };
            return Task.CompletedTask;
        });
        // Numbers are documented as numbers: the server also reads numeric strings (web defaults), but a client should send numbers,
        // and a number-or-string union would make every generated count a composed type.
        o.AddSchemaTransformer((schema, _, _) =>
        {
            if (schema.Type is { } t && t.HasFlag(JsonSchemaType.String) && (t.HasFlag(JsonSchemaType.Integer) || t.HasFlag(JsonSchemaType.Number)))
            {
                schema.Type = t & ~JsonSchemaType.String;
                schema.Pattern = null;
            }
            return Task.CompletedTask;
        });
        o.AddOperationTransformer(async (op, ctx, ct) =>
        {
            var meta = ctx.Description.ActionDescriptor.EndpointMetadata;
            var method = ctx.Description.HttpMethod ?? "GET";
            var write = !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method);
            var auth = RequiresAuth(meta);
            var statuses = ProblemResponses(meta, write, auth, ctx.Description.ParameterDescriptions.Count > 0,
                ctx.Description.ParameterDescriptions.Any(p => p.Source == Microsoft.AspNetCore.Mvc.ModelBinding.BindingSource.Path));
            if (statuses.Count > 0)
            {
                var schema = await ctx.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct);
                ctx.Document?.AddComponent("ProblemDetails", schema);
                op.Responses ??= new OpenApiResponses();
                foreach (var (status, why) in statuses)
                {
                    var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (op.Responses.TryGetValue(key, out var existing) && existing.Content?.Count > 0 && !existing.Content.ContainsKey("application/problem+json")) continue;
                    op.Responses[key] = new OpenApiResponse
                    {
                        Description = why,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", ctx.Document) },
                        },
                    };
                }
            }
            if (auth)
            {
                var roles = Roles(meta);
                if (roles.Count > 0) op.Description = (op.Description is null ? "" : op.Description + "\n\n") + "Roles: " + string.Join(", ", roles) + ".";
                op.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, ctx.Document)] = [] },
                    write
                        ? new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, ctx.Document)] = [], [new OpenApiSecuritySchemeReference(CsrfScheme, ctx.Document)] = [] }
                        : new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, ctx.Document)] = [] },
                ];
            }
        });
    });

    /// <summary>
    /// The problem responses an endpoint can give, from what it is: 400 when it takes input (body, query or route values: every handler
    /// validates and answers a problem), 404 when a route value names a row or region, 401 and 403 when it needs sign-in (403: a role not
    /// allowed, or a region outside the account's scope), 429 for a rate-limited public form, plus whatever it declares itself with
    /// <c>.ProducesProblem(...)</c> (kept as declared).
    /// </summary>
    public static List<(int Status, string Description)> ProblemResponses(IList<object> meta, bool write, bool auth, bool hasParameters, bool hasRouteValues)
    {
        var list = new List<(int, string)>();
        var declared = meta.OfType<IProducesResponseTypeMetadata>().Select(m => m.StatusCode).ToHashSet();
        if ((write || hasParameters) && !declared.Contains(400)) list.Add((400, "Input tidak valid / invalid input (problem details, per-field errors)."));
        if (auth) list.Add((401, "Belum masuk / not signed in (no cookie or token, or an invalid one)."));
        if (auth) list.Add((403, "Tidak berwenang / not allowed: role not allowed, region outside the account's scope, or (cookie) missing CSRF header."));
        if (hasRouteValues && !declared.Contains(404)) list.Add((404, "Tidak ditemukan / not found."));
        if (meta.OfType<PublicFormMetadata>().Any()) list.Add((429, "Terlalu banyak permintaan / rate limited."));
        return list;
    }

    private static bool RequiresAuth(IList<object> meta) =>
        !meta.OfType<IAllowAnonymous>().Any() && (meta.OfType<IAuthorizeData>().Any() || meta.OfType<AuthorizationPolicy>().Any());

    private static List<string> Roles(IList<object> meta) =>
        meta.OfType<AuthorizationPolicy>().SelectMany(p => p.Requirements).OfType<ClaimsAuthorizationRequirement>()
            .Where(r => r.ClaimType == PantauClaims.Role).SelectMany(r => r.AllowedValues ?? []).Distinct().ToList();

    /// <summary>Serves the document and the vendored Swagger UI page (no CDN; script and style from wwwroot/lib, CSP-clean).</summary>
    public static void MapPantauOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapGet("/openapi/", () => Results.Content(ReferencePage, "text/html; charset=utf-8")).ExcludeFromDescription();
    }

    private const string ReferencePage = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Pantau API</title>
          <link rel="stylesheet" href="/lib/swagger-ui/swagger-ui.css">
        </head>
        <body>
          <div id="swagger-ui" data-url="/openapi/v1.json"></div>
          <script src="/lib/swagger-ui/swagger-ui-bundle.js"></script>
          <script src="/js/api-docs.js"></script>
        </body>
        </html>
        """;
}
