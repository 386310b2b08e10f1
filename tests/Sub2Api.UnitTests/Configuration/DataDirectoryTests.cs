using Microsoft.Extensions.Configuration;
using Sub2Api.Configuration;

namespace Sub2Api.UnitTests.Configuration;

/// <summary>Where the data folder is: DATA_DIR, else the source checkout's data/, else ./data.</summary>
public sealed class DataDirectoryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sub2api-datadir-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Folder(params string[] parts)
    {
        var path = Path.Combine([_root, .. parts]);
        Directory.CreateDirectory(path);
        return path;
    }

    private void MarkCheckout(string folder) => File.WriteAllText(Path.Combine(folder, DataDirectory.SolutionFile), "<Solution />");

    [Fact]
    public void InACheckout_FromItsRoot_IsTheRootsData()
    {
        var checkout = Folder("repo");
        MarkCheckout(checkout);

        Assert.Equal(Path.Combine(checkout, "data"), DataDirectory.Resolve(null, checkout));
    }

    [Fact]
    public void InACheckout_FromTheProjectFolder_IsStillTheRootsData()
    {
        // `dotnet run --project src/Sub2Api` runs in the project's folder: the data must not land in src/Sub2Api/data.
        var checkout = Folder("repo");
        MarkCheckout(checkout);
        var project = Folder("repo", "src", "Sub2Api");

        Assert.Equal(Path.Combine(checkout, "data"), DataDirectory.Resolve(null, project));
        Assert.Equal(Path.Combine(checkout, "data"), DataDirectory.Resolve("", project));
    }

    [Fact]
    public void OutsideACheckout_IsDataInTheWorkingDirectory()
    {
        var somewhere = Folder("opt", "sub2api");

        Assert.Equal(Path.Combine(somewhere, "data"), DataDirectory.Resolve(null, somewhere));
    }

    [Fact]
    public void DataDir_WinsOverTheCheckout_RelativeToTheWorkingDirectory()
    {
        var checkout = Folder("repo");
        MarkCheckout(checkout);
        var project = Folder("repo", "src", "Sub2Api");

        Assert.Equal(Path.Combine(project, "node1"), DataDirectory.Resolve("node1", project));
        Assert.Equal(Path.Combine(checkout, "shared"), DataDirectory.Resolve("../../shared", project));
        Assert.Equal("/var/lib/sub2api", DataDirectory.Resolve("/var/lib/sub2api", project));
    }

    [Fact]
    public void AFolderNamedLikeTheSolution_DoesNotMarkACheckout()
    {
        var somewhere = Folder("elsewhere");
        Folder("elsewhere", DataDirectory.SolutionFile);

        Assert.Equal(Path.Combine(somewhere, "data"), DataDirectory.Resolve(null, somewhere));
    }

    [Fact]
    public void From_CreatesTheFolder()
    {
        var target = Path.Combine(_root, "created", "data");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("DATA_DIR", (string?)target)]).Build();

        Assert.Equal(target, DataDirectory.From(configuration).Path);
        Assert.True(Directory.Exists(target));
    }
}
