package vaulttest

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"time"
)

// XML namespaces of the query APIs.
const (
	xmlnsSTS = "https://sts.amazonaws.com/doc/2011-06-15/"
	xmlnsIAM = "https://iam.amazonaws.com/doc/2010-05-08/"
)

// responseMetadata is the ResponseMetadata element of every answer.
type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

// errorResponse is the query protocol's error document.
type errorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr,omitempty"`
	Error   struct {
		Type    string
		Code    string
		Message string
	}
	RequestID string `xml:"RequestId"`
}

// xmlns is the namespace of the call's service.
func (c *call) xmlns() string {
	if c.service == serviceIAM {
		return xmlnsIAM
	}
	return xmlnsSTS
}

// writeResult answers 200 with <ActionResponse><ActionResult>result...
// (no Result element when result is nil).
func (a *AWS) writeResult(w http.ResponseWriter, c *call, result any) {
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	start := xml.StartElement{Name: xml.Name{Local: c.action + "Response"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: c.xmlns()}}}
	err := enc.EncodeToken(start)
	if err == nil && result != nil {
		err = enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: c.action + "Result"}})
	}
	if err == nil {
		err = enc.EncodeElement(responseMetadata{c.requestID}, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}})
	}
	if err == nil {
		err = enc.EncodeToken(start.End())
	}
	if err == nil {
		err = enc.Flush()
	}
	if err != nil {
		a.writeError(w, c, &apiError{http.StatusInternalServerError, "InternalFailure", err.Error()})
		return
	}
	a.send(w, c, http.StatusOK, "OK", "text/xml", buf.Bytes())
}

// writeError answers with the query protocol's error document (the SSO
// services answer JSON, see writeSSOError).
func (a *AWS) writeError(w http.ResponseWriter, c *call, e *apiError) {
	if ssoService(c.service) {
		a.writeSSOError(w, c, e)
		return
	}
	doc := errorResponse{Xmlns: c.xmlns(), RequestID: c.requestID}
	doc.Error.Type = "Sender"
	if e.Status >= 500 {
		doc.Error.Type = "Receiver"
	}
	doc.Error.Code, doc.Error.Message = e.Code, e.Message
	body, err := xml.Marshal(doc)
	if err != nil {
		body = []byte(err.Error())
	}
	a.send(w, c, e.Status, e.Code, "text/xml", body)
}

// send writes the answer with AWS's headers and records the request.
func (a *AWS) send(w http.ResponseWriter, c *call, status int, code, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h["x-amzn-RequestId"] = []string{c.requestID} // AWS's exact spelling on the wire
	h.Set("Date", a.now().UTC().Format(http.TimeFormat))
	w.WriteHeader(status)
	_, _ = w.Write(body)
	a.record(c, status, code)
}

// isoTime formats t as the query APIs do.
func isoTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05Z")
}
