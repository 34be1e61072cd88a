from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "regietafel.accounts"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from regietafel.accounts import signals

        user_logged_in.connect(signals.logged_in, dispatch_uid="regietafel.accounts.logged_in")
        user_login_failed.connect(signals.login_failed, dispatch_uid="regietafel.accounts.login_failed")
        user_locked_out.connect(signals.locked_out, dispatch_uid="regietafel.accounts.locked_out")
