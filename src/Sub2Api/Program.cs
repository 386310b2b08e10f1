using Sub2Api.Data;

// A few more ready workers than cores: the relay awaits a lot, and on a 2-core machine the pool's slow
// thread injection otherwise shows up as latency spikes under bursts.
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount * 4), io);

// Content root = the application's own folder, not the working directory: appsettings.json (and with it the
// logging levels) must load the same whether started as `dotnet /opt/sub2api/Sub2Api.dll` from anywhere, by
// `dotnet run`, or in the container. DATA_DIR stays relative to the working directory (see DataDirectory).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// Listen on :8080 unless told otherwise (ASPNETCORE_URLS / --urls).
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    builder.WebHost.UseUrls("http://0.0.0.0:8080");
}

// Services: configuration, data, security, management API.
builder.AddSub2Api();

var app = builder.Build();

// Database: migrate and create the first admin before serving.
await app.InitializeDatabaseAsync();

// Endpoints: health, auth, user and admin APIs.
app.MapSub2Api();

app.Run();
