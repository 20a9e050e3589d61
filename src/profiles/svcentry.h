/*
 * Message-service entry points (MSGSERVICEENTRY, spec S30-S34) and the administration objects around them: the
 * IProviderAdmin a service entry gets (provadmin.c), IMsgServiceAdmin (svcadmin.c), IProfAdmin (profadmin.c) and
 * MAPISVC.INF, where services are defined (mapisvc.c).
 */
#ifndef MAPIHOST_SVCENTRY_H
#define MAPIHOST_SVCENTRY_H

#include <windows.h>
#include "mapihost_x.h"
#include "stored.h"

struct ini;

extern const char *const service_context_names[8]; /* "MSG_SERVICE_INSTALL", ... by context value */

/* The service has an entry point: its section names PR_SERVICE_DLL_NAME and PR_SERVICE_ENTRY_NAME (S30). */
BOOL svcentry_exists(struct profstore *store, struct psection *service);
/* Calls the service's entry point for context (S33) with admin and a configuration support object valid only during
 * the call (S31). A crash or hang is reported by name like a failing logon. What the entry changed in the profile
 * stays only if it returns S_OK; otherwise the profile is left as it was. error (may be NULL) receives the MAPIERROR
 * the entry gave (MAPI_E_EXTENDED_ERROR, S20), to free with MAPIFreeBuffer. MAPI_E_NOT_INITIALIZED when the service
 * has no entry point. */
HRESULT svcentry_call_with(struct profstore *store, struct psection *service, IProviderAdmin *admin, ULONG context,
                           ULONG_PTR ui_param, ULONG flags, ULONG count, SPropValue *props, MAPIERROR **error);

/* provadmin.c: the IProviderAdmin of one service. */
HRESULT provadmin_create(struct profstore *store, struct psection *service, IProviderAdmin **out);
/* svcentry_call_with an IProviderAdmin of the service's own, valid only during the call (S31): what every caller of
 * a service entry uses. Here because that object's CreateProvider and DeleteProvider call the entry again (S28). */
HRESULT provadmin_call_entry(struct profstore *store, struct psection *service, ULONG context, ULONG_PTR ui_param,
                             ULONG flags, ULONG count, SPropValue *props, MAPIERROR **error);

/* A provider table (S23, S27) of one service (with its extra sections when extras), or of every service. */
HRESULT provadmin_table(struct profstore *store, struct psection *service, BOOL extras, ULONG flags, IMAPITable **out);
/* Adds a provider section to service: INF values, then props, then PR_SERVICE_UID and PR_PROVIDER_UID. */
HRESULT provadmin_add_provider(struct profstore *store, struct psection *service, const char *name, ULONG inf_count,
                               const SPropValue *inf_props, ULONG count, const SPropValue *props,
                               struct psection **out);

/* svcadmin.c: IMsgServiceAdmin(2) over one profile. */
HRESULT svcadmin_create(struct profstore *store, IMsgServiceAdmin **out);
/* The profile behind an IMsgServiceAdmin or IMAPISession of this host, or NULL (CopyMsgService's destination). */
struct profstore *svcadmin_store_of(const IID *iid, void *object);
/* CreateMsgService: the service's sections from MAPISVC.INF, then its entry with MSG_SERVICE_CREATE (S19). */
HRESULT svcadmin_create_service(struct profstore *store, const char *service_name, const char *display_name,
                                ULONG_PTR ui_param, ULONG flags, MAPIUID *uid);
/* A service and its sections from the INF (§6.1): the service section, one per Providers= entry, one per Sections=
 * entry, each a copy of the INF's lines, with PR_SERVICE_NAME and the structure tags (S3). */
HRESULT svcadmin_add_sections(struct profstore *store, const struct ini *ini, const char *service_name,
                              const char *display_name, struct psection **out);
/* DeleteMsgService: its entry with MSG_SERVICE_DELETE, then its sections go (S22). */
HRESULT svcadmin_delete_service(struct profstore *store, struct psection *service);

/* mapisvc.c: MAPISVC.INF. */
/* The MAPISVC.INF that defines service_name (a [Services] key), searched in the profile folder, beside mapihost.dll,
 * then in the system folder (S38); with service_name NULL, the first that exists. Free with mapisvc_free. */
struct ini *mapisvc_find(const char *proffolder_path, const char *service_name, char *path, size_t size);
void mapisvc_free(struct ini *ini);
/* The properties of an INF section, as profile values in one MAPI allocation (unknown keys are skipped). */
HRESULT mapisvc_section_props(const struct ini *ini, const char *section, ULONG *count, SPropValue **props);

#endif
