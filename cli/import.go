package cli

func configureImport(a *App) {}
