"""Django finds an app's models here: each feature package's models are imported below."""
