/*
 * mapihost as the system's MAPI (spec U1-U6): the mail-client key it is registered under, the installer component
 * ID that key names, and the registration the mapireg tool performs.
 */
#ifndef MAPIHOST_COMPONENT_H
#define MAPIHOST_COMPONENT_H

#include <windows.h>

#define MAIL_CLIENTS_KEY "Software\\Clients\\Mail"
#define MAPIHOST_CLIENT_NAME "mapihost"
#define MAPIHOST_CLIENT_KEY MAIL_CLIENTS_KEY "\\" MAPIHOST_CLIENT_NAME
/* mapihost's own installer component ID (U4): what the client key's MSIComponentID holds. */
#define MAPIHOST_COMPONENT_ID "{698E8998-B3F8-4A41-98DB-639B388552AC}"

#endif
