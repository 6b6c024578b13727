using BlazorOs.E2E.Infrastructure;
using Xunit.Sdk;
using Xunit.v3;

// One Chromium for the whole run; one app per test class (see BlazorOsAppFixture).
[assembly: AssemblyFixture(typeof(BrowserFixture))]

// Two cores: an app and a browser per class is plenty. Classes run one after another.
[assembly: Parallelization(Mode = ParallelMode.None)]
