using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

/// <summary>The data directory holds password hashes, run output and keys: other local users can read none of it.</summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class DataDirectoryModeTests
{
    const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task A_new_data_directory_is_owner_only_and_so_are_the_database_and_key_files_in_it()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var parent = Directory.CreateTempSubdirectory("opsc-modes-").FullName;
        // Not created yet, nested: the host creates both levels.
        var data = Path.Combine(parent, "var", "opsconductor");
        var settings = await TestDatabase.NewAsync();
        settings["OpsConductor__DataDirectory"] = data;
        await using (var host = await HostProcess.StartAsync(settings))
        {
            using var admin = host.Client();
            await admin.LoginAsync("admin", HostProcess.AdminPassword); // writes a refresh token: the database is in use

            Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(data));
            Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(Path.GetDirectoryName(data)!));
            Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(Path.Combine(data, "keys")));
            Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(Path.Combine(data, "keys", "data-protection")));
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(data, "keys", "jwt-signing-key.pem")));
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(data, "keys", "master.key")));
            if (!TestDatabase.IsPostgres)
            {
                var database = Path.Combine(data, "opsconductor.db");
                var files = new[] { database, database + "-wal", database + "-shm" }.Where(File.Exists).ToList();
                Assert.Contains(database, files);
                Assert.Contains(database + "-wal", files);
                foreach (var file in files)
                {
                    Assert.True(File.GetUnixFileMode(file) == OwnerOnlyFile, $"{file}: {File.GetUnixFileMode(file)}");
                }
            }
        }
        Directory.Delete(parent, recursive: true);
    }
}
