using BlazorOs.Core.Data;
using Microsoft.Data.Sqlite;

namespace BlazorOs.Web.Tests.Support;

/// <summary>A data folder of one test class (or test) under the temp folder; deleted with everything in it on dispose.</summary>
public sealed class TempDataFolder : IDisposable
{
    private TempDataFolder(string path)
    {
        Path = path;
        Database = DatabaseSettings.Resolve(path, connectionString: null);
    }

    /// <summary>The folder to give the app as <c>BLAZOROS_DATA</c>. It does not exist until the app (its migrator) creates it.</summary>
    public string Path { get; }

    public DatabaseSettings Database { get; }

    public static TempDataFolder Create() =>
        new(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "blazoros-web-tests", Guid.NewGuid().ToString("N"), "data"));

    public void Dispose()
    {
        // Pooled connections keep the file (and its WAL) open. Only this file's pool: clearing every pool would
        // close connections other test classes are using right now.
        using (var connection = new SqliteConnection(Database.ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        var root = System.IO.Path.GetDirectoryName(Path)!;
        for (var attempt = 1; Directory.Exists(root); attempt++)
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException) when (attempt < 5)
            {
                // A connection returned to the pool after the clear closes now and removes the WAL files it owned.
                Thread.Sleep(100 * attempt);
            }
        }
    }
}
