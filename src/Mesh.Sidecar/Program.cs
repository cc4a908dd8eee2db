return await Mesh.Sidecar.SidecarProgram.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
