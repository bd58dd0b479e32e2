package ilms

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// GroupsService covers the Groups section of the document.
type GroupsService service

// Group is a group as Get All Groups and Get a Group return it.
type Group struct {
	ID              int64  `json:"ID"`
	Name            string `json:"Name"`
	Description     string `json:"Description"`
	NumberOfCourses int    `json:"NumberOfCourses"`
	NumberOfUsers   int    `json:"NumberOfUsers"`
}

// DueDateSettings is a course's default due date: a fixed date, a number of
// days after enrollment (1–999), or neither. Both are sent, null included,
// because the API requires both.
type DueDateSettings struct {
	DefaultDueDate      *Date `json:"DefaultDueDate"`
	DaysAfterEnrollment *int  `json:"DaysAfterEnrollment"`
}

// GroupCourse is a course of a group with the group's defaults for it.
type GroupCourse struct {
	ID                     string          `json:"ID"`
	Name                   string          `json:"Name"`
	DefaultRequirementType string          `json:"DefaultRequirementType"`
	DefaultDueDateSettings DueDateSettings `json:"DefaultDueDateSettings"`
}

// GroupCourseSettings is the body of Modify Default Due Date and Requirement
// Type For A Group's Course, in the shape of the document's example.
type GroupCourseSettings struct {
	RequirementType        string          `json:"RequirementType"` // mandatory or optional
	DefaultDueDateSettings DueDateSettings `json:"DefaultDueDateSettings"`
}

// List returns the organization's groups, by name ascending unless sort is
// "-name". GET /organizations/{orgID}/groups
func (s *GroupsService) List(sort string) *Pager[Group] {
	q := url.Values{}
	var err error
	if sort != "" {
		if strings.TrimPrefix(sort, "-") != "name" {
			err = fmt.Errorf("ilms: groups sort by name or -name, not %q", sort)
		}
		q.Set("sort", sort)
	}
	return newPager[Group](s.client, s.client.orgPath("groups"), q, err)
}

// Get returns one group. GET /organizations/{orgID}/groups/{groupid}
func (s *GroupsService) Get(ctx context.Context, groupID int64) (*Group, error) {
	var g Group
	if _, err := s.client.do(ctx, http.MethodGet, s.client.orgPath("groups", id(groupID)), nil, nil, &g); err != nil {
		return nil, err
	}
	return &g, nil
}

func userSortQuery(sort Sort, allowed []string) (url.Values, error) {
	q := url.Values{}
	if sort.Field == "" {
		return q, nil
	}
	if !slices.Contains(allowed, sort.Field) {
		return q, fmt.Errorf("ilms: cannot sort by %q; supported: %s", sort.Field, strings.Join(allowed, ", "))
	}
	q.Set("sort", sort.String())
	return q, nil
}

// Members returns the users of a group, by last name unless sort says
// otherwise. GET /organizations/{orgID}/groups/{groupID}/members
func (s *GroupsService) Members(groupID int64, sort Sort) *Pager[User] {
	q, err := userSortQuery(sort, UserSortFields)
	return newPager[User](s.client, s.client.orgPath("groups", id(groupID), "members"), q, err)
}

// AddMember adds a user to a group. POST /organizations/{orgID}/groups/{groupID}/members
func (s *GroupsService) AddMember(ctx context.Context, groupID, userID int64) error {
	_, err := s.client.do(ctx, http.MethodPost, s.client.orgPath("groups", id(groupID), "members"), nil, refUser(userID), nil)
	return err
}

// RemoveMember removes a user from a group. DELETE /organizations/{orgID}/groups/{groupID}/members/{userID}
func (s *GroupsService) RemoveMember(ctx context.Context, groupID, userID int64) error {
	_, err := s.client.do(ctx, http.MethodDelete, s.client.orgPath("groups", id(groupID), "members", id(userID)), nil, nil, nil)
	return err
}

// Courses returns the courses of a group, by course name unless sort is
// "-coursename". GET /organizations/{orgID}/groups/{groupID}/groupcourses
func (s *GroupsService) Courses(groupID int64, sort string) *Pager[GroupCourse] {
	q := url.Values{}
	var err error
	if sort != "" {
		if strings.TrimPrefix(sort, "-") != "coursename" {
			err = fmt.Errorf("ilms: group courses sort by coursename or -coursename, not %q", sort)
		}
		q.Set("sort", sort)
	}
	return newPager[GroupCourse](s.client, s.client.orgPath("groups", id(groupID), "groupcourses"), q, err)
}

// AddCourse adds a course to a group. POST /organizations/{orgID}/groups/{groupID}/groupcourses
func (s *GroupsService) AddCourse(ctx context.Context, groupID int64, courseID string) error {
	body := struct {
		CourseID string `json:"courseid"`
	}{courseID}
	_, err := s.client.do(ctx, http.MethodPost, s.client.orgPath("groups", id(groupID), "groupcourses"), nil, body, nil)
	return err
}

// RemoveCourse removes a course from a group. DELETE /organizations/{orgID}/groups/{groupID}/groupcourses/{courseID}
func (s *GroupsService) RemoveCourse(ctx context.Context, groupID int64, courseID string) error {
	_, err := s.client.do(ctx, http.MethodDelete, s.client.orgPath("groups", id(groupID), "groupcourses", courseID), nil, nil, nil)
	return err
}

// SetCourseSettings sets the group's requirement type and default due date
// for one of its courses.
// PUT /organizations/{orgID}/groups/{groupID}/groupcourses/{courseID}/settings,
// as the URL line and the request example print it; if the server has no
// such path, once without /settings, as the curl example does.
func (s *GroupsService) SetCourseSettings(ctx context.Context, groupID int64, courseID string, settings GroupCourseSettings) error {
	_, err := s.client.doForms(ctx, "groups.coursesettings", http.MethodPut, [2]pathForm{
		{path: s.client.orgPath("groups", id(groupID), "groupcourses", courseID, "settings")},
		{path: s.client.orgPath("groups", id(groupID), "groupcourses", courseID)},
	}, settings, nil)
	return err
}

// Refresh recomputes a group's membership. PUT /organizations/{orgID}/groups/{groupID}/refresh
func (s *GroupsService) Refresh(ctx context.Context, groupID int64) error {
	_, err := s.client.do(ctx, http.MethodPut, s.client.orgPath("groups", id(groupID), "refresh"), nil, nil, nil)
	return err
}

// The explicit lists: users always in (inclusion) or never in (exclusion)
// a group whatever its rules say.
const (
	inclusionList = "explicitinclusionlistusers"
	exclusionList = "explicitexclusionlistusers"
)

// InclusionList returns the users of a group's explicit inclusion list; q
// may search any profile field and sort.
// GET /organizations/{orgID}/groups/{groupID}/explicitinclusionlistusers
func (s *GroupsService) InclusionList(groupID int64, q *UserQuery) *Pager[User] {
	return s.explicitList(groupID, inclusionList, q)
}

// ExclusionList returns the users of a group's explicit exclusion list.
// GET /organizations/{orgID}/groups/{groupID}/explicitexclusionlistusers
func (s *GroupsService) ExclusionList(groupID int64, q *UserQuery) *Pager[User] {
	return s.explicitList(groupID, exclusionList, q)
}

func (s *GroupsService) explicitList(groupID int64, list string, q *UserQuery) *Pager[User] {
	values, err := q.Values()
	return newPager[User](s.client, s.client.orgPath("groups", id(groupID), list), values, err)
}

// AddToInclusionList adds a user to a group's explicit inclusion list.
// POST /organizations/{orgID}/groups/{groupID}/explicitinclusionlistusers
func (s *GroupsService) AddToInclusionList(ctx context.Context, groupID, userID int64) error {
	_, err := s.client.do(ctx, http.MethodPost, s.client.orgPath("groups", id(groupID), inclusionList), nil, refUser(userID), nil)
	return err
}

// RemoveFromInclusionList removes a user from a group's explicit inclusion
// list. DELETE /organizations/{orgID}/groups/{groupID}/explicitinclusionlistusers/{userID}
func (s *GroupsService) RemoveFromInclusionList(ctx context.Context, groupID, userID int64) error {
	_, err := s.client.do(ctx, http.MethodDelete, s.client.orgPath("groups", id(groupID), inclusionList, id(userID)), nil, nil, nil)
	return err
}

// AddToExclusionList adds a user to a group's explicit exclusion list.
// POST /organizations/{orgID}/groups/{groupID}/explicitexclusionlistusers
func (s *GroupsService) AddToExclusionList(ctx context.Context, groupID, userID int64) error {
	_, err := s.client.do(ctx, http.MethodPost, s.client.orgPath("groups", id(groupID), exclusionList), nil, refUser(userID), nil)
	return err
}

// RemoveFromExclusionList removes a user from a group's explicit exclusion
// list. DELETE /organizations/{orgID}/groups/{groupID}/explicitexclusionlistusers/{userID}
func (s *GroupsService) RemoveFromExclusionList(ctx context.Context, groupID, userID int64) error {
	_, err := s.client.do(ctx, http.MethodDelete, s.client.orgPath("groups", id(groupID), exclusionList, id(userID)), nil, nil, nil)
	return err
}
