using Microsoft.JSInterop;

namespace BlazorOs.Web.Components.Shared;

/// <summary>
/// One ES module of wwwroot/dist, imported the first time it is needed. Calls made after the circuit is gone (the tab
/// closed mid-call) are dropped: there is nobody left to show a result to.
/// </summary>
internal abstract class JsModule(IJSRuntime js, string path) : IAsyncDisposable
{
    private Task<IJSObjectReference>? _module;

    protected Task<IJSObjectReference> ModuleAsync() => _module ??= js.InvokeAsync<IJSObjectReference>("import", path).AsTask();

    public async ValueTask DisposeAsync()
    {
        await DisposeCoreAsync();
        if (_module is { IsCompletedSuccessfully: true })
        {
            try
            {
                await _module.Result.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The browser is gone and took the module with it.
            }
        }
    }

    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;
}

/// <summary>The app-wide helpers of <c>dist/app.js</c>: file downloads and the clipboard.</summary>
internal sealed class AppInterop(IJSRuntime js) : JsModule(js, "./dist/app.js")
{
    /// <summary>Offers <paramref name="text"/> as a file download; returns the file name the browser got.</summary>
    public async Task<string> DownloadTextAsync(string fileName, string text, string mimeType = "application/json") =>
        await (await ModuleAsync()).InvokeAsync<string>("downloadText", fileName, text, mimeType);
}
