namespace Pantau.Web.Infrastructure;

/// <summary>Finds the reference data folder (<c>shared/data</c>): <c>Pantau:SharedData</c>, or the first ancestor holding <c>shared/data</c>.</summary>
public static class SharedData
{
    public static string? Locate(IConfiguration? config = null, string? start = null)
    {
        if (config?["Pantau:SharedData"] is { Length: > 0 } configured)
            return Directory.Exists(configured) ? Path.GetFullPath(configured) : throw new DirectoryNotFoundException($"Pantau:SharedData '{configured}' does not exist.");
        foreach (var origin in new[] { start, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = origin is null ? null : new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data");
                if (File.Exists(Path.Combine(candidate, "SOURCES.md"))) return candidate;
            }
        }
        return null;
    }
}
