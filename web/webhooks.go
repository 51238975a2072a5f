package web

import (
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
	"github.com/warren-wiki/warren/tenant"
	"github.com/warren-wiki/warren/wiki"
)

// registerFarmRunAPI mounts the webhook and usage endpoints of a wiki's
// API, for its admins.
func (s *Server) registerFarmRunAPI(r *mux.Router) {
	r.HandleFunc("/webhooks", s.wikiRoute(wiki.RoleAdmin, s.apiListWebhooks)).Methods("GET")
	r.HandleFunc("/webhooks", s.wikiRoute(wiki.RoleAdmin, s.apiAddWebhook)).Methods("POST")
	r.HandleFunc("/webhooks", s.wikiRoute(wiki.RoleAdmin, s.apiRemoveWebhook)).Methods("DELETE")
	r.HandleFunc("/webhooks/{id}", s.wikiRoute(wiki.RoleAdmin, s.apiRemoveWebhook)).Methods("DELETE")
	r.HandleFunc("/webhooks/{id}/deliveries", s.wikiRoute(wiki.RoleAdmin, s.apiWebhookDeliveries)).Methods("GET")
	r.HandleFunc("/usage", s.wikiRoute(wiki.RoleAdmin, s.apiUsage)).Methods("GET")
}

// apiWebhook is a webhook as the API shows it: never its secret, except
// once in the answer that created it.
type apiWebhook struct {
	wiki.Webhook
	Secret string `json:"secret,omitempty"`
}

// apiListWebhooks lists the wiki's webhooks and its newest deliveries with
// the receivers' answers.
func (s *Server) apiListWebhooks(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	hooks, err := s.Robot.Webhooks(r.Context(), h.Info.Slug)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	dls, err := s.Robot.Deliveries(r.Context(), h.Info.Slug, 0, 50)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"webhooks": hooks, "deliveries": dls})
}

// apiAddWebhook registers {"url", "secret"?}: 201 with the secret, which is
// never shown again; 400 for a URL that is not http(s) or is malformed.
func (s *Server) apiAddWebhook(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	var body struct {
		URL    string `json:"url"`
		Secret string `json:"secret"`
	}
	if err := decodeJSON(r, &body); err != nil {
		s.apiError(w, r, err)
		return
	}
	hook, err := s.Robot.AddWebhook(r.Context(), callerName(wiki.CallerFrom(r.Context())), h.Info.Slug,
		body.URL, body.Secret, changeMark(r.Context(), h))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, apiWebhook{Webhook: *hook, Secret: hook.Secret})
}

// apiRemoveWebhook deletes /webhooks/{id} or /webhooks?id=N.
func (s *Server) apiRemoveWebhook(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	id, err := webhookID(r)
	if err == nil {
		err = s.Robot.RemoveWebhook(r.Context(), callerName(wiki.CallerFrom(r.Context())), h.Info.Slug, id)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "deleted": true})
}

// apiWebhookDeliveries lists one webhook's newest deliveries.
func (s *Server) apiWebhookDeliveries(w http.ResponseWriter, r *http.Request, h *tenant.Handle, _ wiki.Role) {
	id, err := webhookID(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	limit, err := limitParam(r.URL.Query().Get("limit"), 50, 200)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	dls, err := s.Robot.Deliveries(r.Context(), h.Info.Slug, id, limit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"deliveries": dls})
}

// webhookID reads the hook id from the path or the query.
func webhookID(r *http.Request) (int64, error) {
	raw, ok := mux.Vars(r)["id"]
	if !ok {
		raw = r.URL.Query().Get("id")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, wiki.Errorf(wiki.EINVALID, "webhook id must be a positive number")
	}
	return id, nil
}
