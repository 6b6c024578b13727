using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace BlazorOs.E2E.Infrastructure;

/// <summary>
/// Runs the real app as a child process (<c>dotnet BlazorOs.Web.dll</c> from its build output) on a free
/// loopback port with a fresh data folder, waits for <c>GET /health</c>, and kills the process tree and
/// deletes the folder at the end. One instance per test class (class fixture).
/// </summary>
public abstract class BlazorOsAppFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private const int MaxLogLines = 600;

    private readonly Queue<string> _log = new();
    private readonly Lock _logLock = new();
    private Process? _process;
    private DirectoryInfo? _dataFolder;

    /// <summary>Where the app listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The temporary BLAZOROS_DATA folder of this app.</summary>
    public string DataFolder => _dataFolder?.FullName ?? "";

    /// <summary>Extra environment for the app (on top of BLAZOROS_DATA and BLAZOROS_URLS).</summary>
    protected virtual IReadOnlyDictionary<string, string> ExtraEnvironment { get; } = new Dictionary<string, string>();

    public async ValueTask InitializeAsync()
    {
        _dataFolder = Directory.CreateTempSubdirectory("blazoros-e2e-");
        BaseAddress = new Uri($"http://127.0.0.1:{FreeLoopbackPort()}/");
        await StartAsync();
    }

    /// <summary>
    /// Kills the app (no graceful shutdown, like a crash or a pulled plug) and starts it again on the same
    /// data folder and address.
    /// </summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        AddLog("---- restart ----");
        await StartAsync();
    }

    private async Task StartAsync()
    {
        var dll = RepoPaths.WebAppDll;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);

        // The app reads only what the test gives it: drop whatever the calling shell has set.
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("BLAZOROS_", StringComparison.Ordinal)
                || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
                || name is "DOTNET_ENVIRONMENT" or "DOTNET_URLS")
            {
                start.Environment.Remove(name);
            }
        }
        start.Environment["BLAZOROS_DATA"] = DataFolder;
        start.Environment["BLAZOROS_URLS"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in ExtraEnvironment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => AddLog(e.Data);
        process.ErrorDataReceived += (_, e) => AddLog(e.Data is null ? null : "[stderr] " + e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start dotnet {dll}.");
        }
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        await WaitUntilHealthyAsync(process);
    }

    /// <summary>The app's last lines of stdout/stderr, for failure messages.</summary>
    public string LogTail
    {
        get
        {
            lock (_logLock)
            {
                return string.Join(Environment.NewLine, _log);
            }
        }
    }

    private void AddLog(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_logLock)
        {
            _log.Enqueue(line);
            while (_log.Count > MaxLogLines)
            {
                _log.Dequeue();
            }
        }
    }

    private async Task WaitUntilHealthyAsync(Process process)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        var last = "no answer yet";
        while (clock.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                // Let the output readers drain before reporting.
                await process.WaitForExitAsync();
                throw new InvalidOperationException(
                    $"BlazorOs exited with code {process.ExitCode} before /health answered.{Environment.NewLine}App output:{Environment.NewLine}{LogTail}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri("health", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
                last = $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException)
            {
                last = "timed out";
            }
            await Task.Delay(250);
        }
        throw new TimeoutException(
            $"BlazorOs at {BaseAddress} did not answer GET /health with 200 within {StartTimeout.TotalSeconds:0} s (last: {last}).{Environment.NewLine}App output:{Environment.NewLine}{LogTail}");
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();

        if (_dataFolder is not null)
        {
            for (var attempt = 0; attempt < 5; attempt++)
            {
                try
                {
                    _dataFolder.Refresh();
                    if (_dataFolder.Exists)
                    {
                        _dataFolder.Delete(recursive: true);
                    }
                    break;
                }
                catch (IOException)
                {
                    await Task.Delay(200);
                }
                catch (UnauthorizedAccessException)
                {
                    await Task.Delay(200);
                }
            }
        }
        GC.SuppressFinalize(this);
    }

    private async Task StopAsync()
    {
        if (_process is not null)
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            catch (OperationCanceledException)
            {
                // It did not exit in time; nothing more a test can do.
            }
            _process.Dispose();
            _process = null;
        }
    }

    /// <summary>A diagnostic block for assertion messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfoInvariant($"App at {BaseAddress}, data in {DataFolder}."));
        text.AppendLine("App output (tail):");
        text.Append(LogTail);
        return text.ToString();
    }

    private static string CultureInfoInvariant(FormattableString s) => FormattableString.Invariant(s);
}

/// <summary>A never-configured BlazorOs: no operator password yet, so every page leads to /setup.</summary>
public sealed class FreshAppFixture : BlazorOsAppFixture;

/// <summary>A BlazorOs whose operator password came from BLAZOROS_OPERATOR_PASSWORD at first start.</summary>
public sealed class ConfiguredAppFixture : BlazorOsAppFixture
{
    public const string OperatorPassword = "e2e-operator-password-1";

    protected override IReadOnlyDictionary<string, string> ExtraEnvironment { get; } =
        new Dictionary<string, string> { ["BLAZOROS_OPERATOR_PASSWORD"] = OperatorPassword };
}

/// <summary>A BlazorOs driven through its HTTP API, as automation would, with the key given as BLAZOROS_API_KEY.</summary>
public sealed class ApiAppFixture : BlazorOsAppFixture
{
    public const string ApiKey = "e2e-api-key-0123456789abcdefghij";

    protected override IReadOnlyDictionary<string, string> ExtraEnvironment { get; } =
        new Dictionary<string, string> { ["BLAZOROS_API_KEY"] = ApiKey };
}
