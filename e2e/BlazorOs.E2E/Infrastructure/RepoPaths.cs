using System.Reflection;

namespace BlazorOs.E2E.Infrastructure;

/// <summary>Where things are: the app under test, the repository root, the screenshot folder.</summary>
internal static class RepoPaths
{
    /// <summary>The BlazorOs.Web.dll built with the same Configuration as this test assembly.</summary>
    public static string WebAppDll
    {
        get
        {
            var path = typeof(RepoPaths).Assembly
                .GetCustomAttributes<AssemblyMetadataAttribute>()
                .SingleOrDefault(a => a.Key == "BlazorOsWebApp")?.Value;
            if (string.IsNullOrEmpty(path))
            {
                throw new InvalidOperationException("The test assembly does not record where BlazorOs.Web.dll was built (AssemblyMetadata BlazorOsWebApp).");
            }
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"BlazorOs.Web.dll is not at {path}: build the solution (or this project) first.", path);
            }
            return path;
        }
    }

    /// <summary>The folder that holds BlazorOs.sln, or the test's own bin folder when run elsewhere.</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "BlazorOs.sln")))
                {
                    return dir.FullName;
                }
            }
            return AppContext.BaseDirectory;
        }
    }

    /// <summary><c>TestResults/e2e-screenshots</c> under the repository root.</summary>
    public static string ScreenshotFolder => Path.Combine(RepoRoot, "TestResults", "e2e-screenshots");
}
