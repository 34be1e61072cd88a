def no_role_needed(view):
    """Mark a view a signed-in user without a role may still use (log out, change language)."""
    view.no_role_needed = True
    return view
