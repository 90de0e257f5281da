"""The organization: org units as a tree, projects and their managers, the people
directory and one's own profile, and the ``DashboardFilter`` every report scopes by."""
