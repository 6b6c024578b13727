using System.Globalization;
using System.Net;
using AngleSharp.Html.Parser;

namespace BlazorOs.Web.Tests.Support;

/// <summary>
/// What a browser does with the app's plain HTML forms: keeps cookies, reads the antiforgery field out of a page and
/// posts it back with the form. Every browser is a client address of its own (see <see cref="BlazorOsAppFactory.ClientHeader"/>).
/// </summary>
public sealed class OperatorBrowser : IDisposable
{
    public const string AntiforgeryField = "__RequestVerificationToken";

    private static int _lastClient;

    public OperatorBrowser(HttpClient client)
    {
        Client = client;
        var n = Interlocked.Increment(ref _lastClient);
        Address = string.Create(CultureInfo.InvariantCulture, $"10.0.{n / 250}.{(n % 250) + 1}");
        client.DefaultRequestHeaders.Add(BlazorOsAppFactory.ClientHeader, Address);
    }

    public HttpClient Client { get; }

    public string Address { get; }

    public Task<HttpResponseMessage> GetAsync(string path) => Client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

    /// <summary>The antiforgery token of the form on <paramref name="path"/> (the page must answer 200 with a form).</summary>
    public async Task<string> FormTokenAsync(string path)
    {
        using var page = await GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var document = await new HtmlParser().ParseDocumentAsync(await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var field = document.QuerySelector($"form input[name='{AntiforgeryField}']");
        Assert.NotNull(field);
        return Assert.IsType<string>(field.GetAttribute("value"));
    }

    /// <summary>Posts the form fields as the browser would; the token goes along when given.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string path, string? token, params (string Name, string Value)[] fields)
    {
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList();
        if (token is not null)
        {
            form.Add(new(AntiforgeryField, token));
        }

        return Client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
    }

    /// <summary>Opens <c>/signin</c> and submits <paramref name="password"/>, as the operator does.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string password, string? returnUrl = null) =>
        await PostFormAsync("/account/signin", await FormTokenAsync("/signin"), ("password", password), ("returnUrl", returnUrl ?? string.Empty));

    /// <summary>The value a response sets for <paramref name="name"/>, or null; an empty value means the cookie is deleted.</summary>
    public static string? SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';', 2)[0].Split('=', 2))
                .Where(kv => kv[0] == name)
                .Select(kv => kv.Length == 2 ? kv[1] : string.Empty)
                .LastOrDefault()
            : null;

    public void Dispose() => Client.Dispose();
}
