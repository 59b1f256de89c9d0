"""Use-cases: one function per user action (add a need, record an evaluation, validate,
render the site, build the report, send the e-mails…). Typed input in, typed result out;
a refusal is a :class:`olapcli.errors.UserError`. No printing, no typer, no rich: the
command line (:mod:`olapcli.cli`) and the web (``olap serve``) call the same functions.

Modules here combine the method (:mod:`olapcli.core`) with the I/O layer
(:mod:`olapcli.io`) and the output formats (:mod:`olapcli.render`); they own the repo
lock and the commit of each write.
"""
