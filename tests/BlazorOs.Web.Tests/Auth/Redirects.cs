using System.Net;

namespace BlazorOs.Web.Tests.Auth;

internal static class Redirects
{
    private static readonly Uri Site = new("http://localhost");

    /// <summary>Asserts a redirect of the given status and returns its target as path and query, whether the header is absolute or not.</summary>
    public static string Target(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.Redirect)
    {
        Assert.Equal(status, response.StatusCode);
        var location = Assert.IsType<Uri>(response.Headers.Location);
        return new Uri(Site, location).PathAndQuery;
    }
}
